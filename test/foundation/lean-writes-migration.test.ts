import { createDataSource } from '../../src/db/data-source';
import { createTestDatabase } from '../support/test-service';

/** Migration LeanWrites1764192500000: less work per submission, nothing a query needs taken away. */
describe('lean writes migration', () => {
  it('compresses new large values with lz4, and drops the checks and the index no statement needs', async () => {
    const db = await createTestDatabase();
    const ds = createDataSource(db.url, 1);
    await ds.initialize();
    try {
      const methods: Array<{ t: string; c: string; m: string }> = await ds.query(
        `SELECT attrelid::regclass::text AS t, attname AS c, attcompression AS m FROM pg_attribute
         WHERE (attrelid::regclass::text, attname) IN (('declarations', 'body'), ('screenings', 'hits'),
           ('idempotency_keys', 'response_body'), ('audit_events', 'data'), ('declaration_search', 'keys'),
           ('declaration_search', 'names'))`,
      );
      expect(methods).toHaveLength(6);
      expect(methods.every((r) => r.m === 'l')).toBe(true);

      // A stored answer big enough to be compressed is compressed with lz4.
      const answer = { hits: Array.from({ length: 200 }, (_, i) => ({ i, name: `Party ${i % 7}`, score: 0.9 })) };
      await ds.query(
        `INSERT INTO idempotency_keys (organization, key, request_hash, status, response_status, response_body)
         VALUES ('o', 'k', 'h', 'done', 201, $1::jsonb)`,
        [JSON.stringify(answer)],
      );
      const [stored] = await ds.query(
        `SELECT pg_column_compression(response_body) AS m, response_body AS b FROM idempotency_keys WHERE key = 'k'`,
      );
      expect(stored.m).toBe('lz4');
      expect(stored.b).toEqual(answer);

      const fks = await ds.query(
        `SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN ('declaration_search', 'declaration_party_names')`,
      );
      expect(fks).toEqual([]);
      expect(await ds.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'idempotency_keys_age'`)).toEqual([]);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});
