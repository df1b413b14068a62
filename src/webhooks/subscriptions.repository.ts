import type { EntityManager } from 'typeorm';

/**
 * Which webhooks hear an event: read when an event is emitted (inside the business transaction) and when it is
 * dispatched. Apart from webhooks.repository.ts so that events.ts, which webhooks.schemas.ts imports for the event
 * types, imports nothing that imports the schemas back.
 */

/** Whether any live webhook of the organisation subscribes to the event type (one row at most is read). */
export async function hasSubscriber(m: EntityManager, organization: string, type: string): Promise<boolean> {
  const listeners: unknown[] = await m.query(
    `SELECT 1 FROM webhooks WHERE organization = $1 AND deleted_at IS NULL AND $2 = ANY(events) LIMIT 1`,
    [organization, type],
  );
  return listeners.length > 0;
}

export async function subscribedWebhookIds(m: EntityManager, organization: string, type: string): Promise<string[]> {
  const rows: { id: string }[] = await m.query(
    `SELECT id FROM webhooks WHERE organization = $1 AND deleted_at IS NULL AND $2 = ANY(events) ORDER BY id`,
    [organization, type],
  );
  return rows.map((r) => r.id);
}
