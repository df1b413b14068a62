import type { EntityManager } from 'typeorm';
import type { Hit } from '../screening/hits';

/** What the allow-list (src/allow-list) reads of screenings: the hits a decision marks as false positives. */
export async function screeningHits(m: EntityManager, screeningId: string): Promise<Hit[] | undefined> {
  const [screening]: { hits: Hit[] }[] = await m.query(`SELECT hits FROM screenings WHERE id = $1`, [screeningId]);
  return screening?.hits;
}
