import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A generation number for "which list versions are active": bumped by a trigger in the same transaction as any change
 * of lists.active_version_id (import, activation, rollback, any future path), and announced with NOTIFY on commit.
 * Every process compares it with the generation its index holds before screening (read-your-writes activation).
 */
export class ListGeneration1764190600000 implements MigrationInterface {
  name = 'ListGeneration1764190600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE list_generation (id boolean PRIMARY KEY DEFAULT true CHECK (id), generation bigint NOT NULL)`,
    );
    await q.query(`INSERT INTO list_generation (id, generation) VALUES (true, 1)`);
    await q.query(`
      CREATE FUNCTION bump_list_generation() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE g bigint;
      BEGIN
        UPDATE list_generation SET generation = generation + 1 RETURNING generation INTO g;
        PERFORM pg_notify('list_generation', g::text);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER lists_active_version_changed AFTER UPDATE OF active_version_id ON lists
      FOR EACH ROW WHEN (OLD.active_version_id IS DISTINCT FROM NEW.active_version_id) EXECUTE FUNCTION bump_list_generation()`);
    await q.query(`CREATE TRIGGER lists_active_version_added AFTER INSERT ON lists
      FOR EACH ROW WHEN (NEW.active_version_id IS NOT NULL) EXECUTE FUNCTION bump_list_generation()`);
    await q.query(`CREATE TRIGGER lists_active_version_removed AFTER DELETE ON lists
      FOR EACH ROW WHEN (OLD.active_version_id IS NOT NULL) EXECUTE FUNCTION bump_list_generation()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER lists_active_version_removed ON lists`);
    await q.query(`DROP TRIGGER lists_active_version_added ON lists`);
    await q.query(`DROP TRIGGER lists_active_version_changed ON lists`);
    await q.query(`DROP FUNCTION bump_list_generation()`);
    await q.query(`DROP TABLE list_generation`);
  }
}
