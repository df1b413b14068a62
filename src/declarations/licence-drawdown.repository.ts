import type { EntityManager } from 'typeorm';
import type { DeclarationInput } from '../screening/declaration-input';

/** What the licence drawdown of a release (src/licences) reads of the declaration: its body, with the cited lines. */
export async function declarationBody(m: EntityManager, declarationId: string): Promise<DeclarationInput | undefined> {
  const [row]: { body: DeclarationInput }[] = await m.query(`SELECT body FROM declarations WHERE id = $1`, [
    declarationId,
  ]);
  return row?.body;
}
