import type { EntityManager } from 'typeorm';

/** Sets pg_trgm's word similarity threshold for the caller's transaction only (SET LOCAL). */
export async function setWordSimilarityThreshold(m: EntityManager, threshold: number): Promise<void> {
  await m.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(threshold)]);
}
