import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { DeclarationInput } from '../src/screening/declaration-input';
import { exactKeys, listEntryKeys, searchKeysOf } from '../src/declarations/search-keys';

const BACKFILL_CHUNK = 1000;

/**
 * Search across declarations and cases (issue 13): one row of search keys per declaration, written with it.
 * `names` holds the parties' names folded by the matcher's normalisation, under a pg_trgm index for fuzzy,
 * cross-script party search; `keys` holds the exact keys (identifiers, HS code prefixes, countries, list entries of
 * the latest screening), tagged, under one GIN index. `organization` and `created_at` are copied from the declaration
 * so a filtered page is read in the list's own order from this table alone before the declarations are joined.
 * Existing declarations are backfilled here with the same TypeScript functions the writer uses (the folding is the
 * matcher's and lives in TypeScript, not SQL).
 */
export class DeclarationSearch1764192100000 implements MigrationInterface {
  name = 'DeclarationSearch1764192100000';

  async up(q: QueryRunner): Promise<void> {
    // pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it without superuser rights.
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE declaration_search (
        declaration_id uuid PRIMARY KEY REFERENCES declarations (id),
        organization text NOT NULL,
        created_at timestamptz NOT NULL,
        names text NOT NULL,
        keys text[] NOT NULL
      )`);
    await this.backfill(q);
    await q.query(`CREATE INDEX declaration_search_names ON declaration_search USING gin (names gin_trgm_ops)`);
    await q.query(`CREATE INDEX declaration_search_keys ON declaration_search USING gin (keys)`);
    await q.query(
      `CREATE INDEX declaration_search_by_org ON declaration_search (organization, created_at DESC, declaration_id DESC)`,
    );
    await q.query(
      `CREATE INDEX declaration_search_by_time ON declaration_search (created_at DESC, declaration_id DESC)`,
    );
  }

  private async backfill(q: QueryRunner): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: Array<{
        id: string;
        organization: string;
        created_at: Date;
        body: DeclarationInput;
        hits: Array<{ listId?: string; entryId?: string }> | null;
      }> = await q.query(
        `SELECT d.id, d.organization, d.created_at, d.body, s.hits FROM declarations d LEFT JOIN screenings s ON s.id = d.latest_screening_id
         WHERE d.id > $1 ORDER BY d.id LIMIT ${BACKFILL_CHUNK}`,
        [after],
      );
      if (rows.length === 0) return;
      const keys = rows.map((r) => searchKeysOf(r.body));
      await q.query(
        `INSERT INTO declaration_search (declaration_id, organization, created_at, names, keys)
         SELECT x.id, x.org, x.at, x.names, ARRAY(SELECT jsonb_array_elements_text(x.keys))
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::jsonb[]) AS x(id, org, at, names, keys)`,
        [
          rows.map((r) => r.id),
          rows.map((r) => r.organization),
          rows.map((r) => r.created_at),
          keys.map((k) => k.names),
          rows.map((r, i) => JSON.stringify(exactKeys(keys[i], listEntryKeys(r.hits ?? [])))),
        ],
      );
      after = rows[rows.length - 1].id;
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE declaration_search`);
  }
}
