import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { DeclarationInput } from '../src/screening/declaration-input';
import { partyNames, searchKeysOf } from '../src/declarations/search-keys';

const BACKFILL_CHUNK = 1000;

/**
 * Party-name search at a million declarations (issue 13). A common name ("Altyn Logistics") matched thousands of rows
 * of the wide declaration_search table, each fetched and rechecked before the newest 50 were known (p95 ~1 s). Now:
 * - `party_names`: the distinct folded names, under the pg_trgm index: far fewer rows than declarations, so the
 *   fuzzy match runs on a small table;
 * - `declaration_party_names`: (name, time, declaration, organisation), one narrow row per name of a declaration, in
 *   a btree read newest first per matching name (an index-only read).
 * A name's id is `hashtextextended(folded, 0)`, computed by PostgreSQL the same way in the writer, here and in the
 * benchmark: the writer needs no round trip for the id, and two submissions adding the same new name at once both
 * land on the same id (the dictionary insert is ON CONFLICT DO NOTHING). Two different names with the same 64-bit
 * hash (odds ~1e-7 at a million names) would share an id: a search for either would also list the other's
 * declarations, never miss one. The `names` column of declaration_search stays: a query matching very many names
 * walks the time index and rechecks it on the row (search-filter.ts); its trigram index goes, no search reads it.
 */
export class PartyNames1764192300000 implements MigrationInterface {
  name = 'PartyNames1764192300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE party_names (folded text PRIMARY KEY, id bigint NOT NULL)`);
    // No foreign key to party_names: the writer inserts both in one statement, and the id is a function of the name.
    await q.query(`
      CREATE TABLE declaration_party_names (
        name_id bigint NOT NULL,
        created_at timestamptz NOT NULL,
        declaration_id uuid NOT NULL REFERENCES declarations (id),
        organization text NOT NULL,
        PRIMARY KEY (name_id, created_at, declaration_id) INCLUDE (organization)
      )`);
    await this.backfill(q);
    await q.query(`CREATE INDEX party_names_trgm ON party_names USING gin (folded gin_trgm_ops)`);
    await q.query(`DROP INDEX declaration_search_names`);
  }

  private async backfill(q: QueryRunner): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: Array<{ id: string; organization: string; created_at: Date; body: DeclarationInput }> = await q.query(
        `SELECT id, organization, created_at, body FROM declarations WHERE id > $1 ORDER BY id LIMIT ${BACKFILL_CHUNK}`,
        [after],
      );
      if (rows.length === 0) return;
      const ids: string[] = [];
      const names: string[] = [];
      for (const r of rows) {
        for (const n of partyNames(searchKeysOf(r.body))) {
          ids.push(r.id);
          names.push(n);
        }
      }
      await q.query(
        `WITH x AS (SELECT x.id, x.name, d.organization, d.created_at FROM unnest($1::uuid[], $2::text[]) AS x(id, name) JOIN declarations d ON d.id = x.id),
         n AS (INSERT INTO party_names (folded, id) SELECT DISTINCT name, hashtextextended(name, 0) FROM x ON CONFLICT DO NOTHING)
         INSERT INTO declaration_party_names (name_id, created_at, declaration_id, organization)
         SELECT hashtextextended(name, 0), created_at, id, organization FROM x ON CONFLICT DO NOTHING`,
        [ids, names],
      );
      after = rows[rows.length - 1].id;
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX declaration_search_names ON declaration_search USING gin (names gin_trgm_ops)`);
    await q.query(`DROP TABLE declaration_party_names`);
    await q.query(`DROP TABLE party_names`);
  }
}
