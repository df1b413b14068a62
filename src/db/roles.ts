import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { migrateWithLock } from './migrate';

/** The group role the migration grants runtime privileges to (INSERT/SELECT only on the audit tables). */
export const RUNTIME_GROUP = 'dus_runtime';

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Migrates as the schema owner (MIGRATION_DATABASE_URL), then makes the runtime login role (`runtimeUser`, the user of
 * DATABASE_URL) a member of dus_runtime, so a deployment only has to create the login role. Returns the migrations
 * applied. The owner connection is closed before the service starts: the runtime never holds owner credentials open.
 */
export async function migrateAsOwner(ownerUrl: string, runtimeUser: string): Promise<string[]> {
  // Two connections: migrateWithLock holds one for its advisory lock while the migrations run on another.
  const owner = createDataSource(ownerUrl, 2);
  await owner.initialize();
  try {
    const applied = await migrateWithLock(owner);
    const [{ owner_user: ownerUser, group_exists: groupExists }] = await owner.query(
      `SELECT current_user AS owner_user, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS group_exists`,
      [RUNTIME_GROUP],
    );
    if (runtimeUser !== ownerUser && groupExists) {
      const [{ member }] = await owner.query(`SELECT pg_has_role($1, $2, 'MEMBER') AS member`, [
        runtimeUser,
        RUNTIME_GROUP,
      ]);
      if (!member) await owner.query(`GRANT ${ident(RUNTIME_GROUP)} TO ${ident(runtimeUser)}`);
    }
    return applied;
  } finally {
    await owner.destroy();
  }
}

/**
 * What the runtime role may do to the audit log beyond appending. Any of these true means the role split is not in
 * place (one role for everything, or a superuser): the chain and the checkpoints still show tampering, but the database
 * no longer prevents it.
 */
export async function auditPrivileges(
  dataSource: DataSource,
): Promise<{ role: string; superuser: boolean; update: boolean; owner: boolean }> {
  const [row] = await dataSource.query(
    `SELECT current_user AS role, r.rolsuper AS superuser,
            has_table_privilege('audit_events', 'UPDATE') OR has_table_privilege('audit_events', 'DELETE') AS update,
            pg_has_role(c.relowner, 'USAGE') AS owner
     FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = 'audit_events'::regclass`,
  );
  return row;
}
