import type { EntityManager } from 'typeorm';
import type { Cursor } from '../http/pagination';
import type { WebhookEventType } from '../jobs/webhook-events';
import type { DeliveryStatus } from './webhooks.schemas';

/** SQL for webhooks and deliveries. Every function takes the caller's manager, so one transaction can span several. */

export interface WebhookRow {
  id: string;
  organization: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  created_at: Date;
}

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  subject_id: string;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
  delivered_at: Date | null;
}

/** A delivery with what it takes to send it. */
export interface SendableDelivery {
  id: string;
  webhook_id: string;
  status: DeliveryStatus;
  event_id: string;
  body: string;
  url: string;
  secret: string;
  organization: string;
  webhook_deleted: boolean;
}

const WEBHOOK_COLUMNS = 'id, organization, url, events, description, created_at';
const DELIVERY_COLUMNS = `id, webhook_id, event_id, event_type, subject_id, status, attempts, last_status_code, last_error,
  next_attempt_at, created_at, delivered_at`;

export async function insertWebhook(
  m: EntityManager,
  row: {
    organization: string;
    url: string;
    events: string[];
    description: string | null;
    secret: string;
    createdBy: string;
  },
): Promise<WebhookRow> {
  const rows: WebhookRow[] = await m.query(
    `INSERT INTO webhooks (organization, url, events, description, secret, created_by) VALUES ($1, $2, $3::text[], $4, $5, $6)
     RETURNING ${WEBHOOK_COLUMNS}`,
    [row.organization, row.url, row.events, row.description, row.secret, row.createdBy],
  );
  return rows[0];
}

/**
 * Active webhooks of an organisation, counted under a transaction-scoped advisory lock on it so two concurrent
 * registrations cannot both pass the cap.
 */
export async function countWebhooksLocked(m: EntityManager, organization: string): Promise<number> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtext('webhooks:' || $1))`, [organization]);
  const [{ n }] = await m.query(
    `SELECT count(*)::int AS n FROM webhooks WHERE organization = $1 AND deleted_at IS NULL`,
    [organization],
  );
  return n;
}

/** Active webhooks, newest first; `organization` undefined means every organisation's. */
export async function listWebhooks(
  m: EntityManager,
  organization: string | undefined,
  limit: number,
  after?: Cursor,
): Promise<WebhookRow[]> {
  const params: unknown[] = [limit];
  const where = ['deleted_at IS NULL'];
  if (organization !== undefined) where.push(`organization = $${params.push(organization)}`);
  if (after) where.push(`(created_at, id) < ($${params.push(after.at)}::timestamptz, $${params.push(after.id)}::uuid)`);
  return m.query(
    `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $1`,
    params,
  );
}

/** An active webhook visible in `organization` (undefined: any), optionally locked for a change. */
export async function findWebhook(
  m: EntityManager,
  id: string,
  organization: string | undefined,
  lock = false,
): Promise<WebhookRow | undefined> {
  const params: unknown[] = [id];
  const orgFilter = organization !== undefined ? `AND organization = $${params.push(organization)}` : '';
  const rows: WebhookRow[] = await m.query(
    `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1 AND deleted_at IS NULL ${orgFilter}${lock ? ' FOR UPDATE' : ''}`,
    params,
  );
  return rows[0];
}

/** Soft delete: the row stays so its deliveries keep their history; pending deliveries end as failed. */
export async function markWebhookDeleted(m: EntityManager, id: string): Promise<void> {
  await m.query(`UPDATE webhooks SET deleted_at = now() WHERE id = $1`, [id]);
  await m.query(
    `UPDATE webhook_deliveries SET status = 'failed', last_error = 'webhook deleted', next_attempt_at = NULL
     WHERE webhook_id = $1 AND status = 'pending'`,
    [id],
  );
}

/** One delivery per webhook for the event; rows that already exist stay as they are. Returns the pending ones. */
export async function createDeliveries(
  m: EntityManager,
  webhookIds: string[],
  event: { eventId: string; type: string; subjectId: string; body: string },
): Promise<string[]> {
  if (webhookIds.length === 0) return [];
  await m.query(
    `INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, subject_id, body)
     SELECT w, $2, $3, $4, $5 FROM unnest($1::uuid[]) AS w
     ON CONFLICT (webhook_id, event_id) DO NOTHING`,
    [webhookIds, event.eventId, event.type, event.subjectId, event.body],
  );
  const rows: { id: string }[] = await m.query(
    `SELECT id FROM webhook_deliveries WHERE event_id = $1 AND webhook_id = ANY($2::uuid[]) AND status = 'pending' ORDER BY id`,
    [event.eventId, webhookIds],
  );
  return rows.map((r) => r.id);
}

export async function findSendableDelivery(m: EntityManager, id: string): Promise<SendableDelivery | undefined> {
  const rows: SendableDelivery[] = await m.query(
    `SELECT d.id, d.webhook_id, d.status, d.event_id, d.body, w.url, w.secret, w.organization, (w.deleted_at IS NOT NULL) AS webhook_deleted
     FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`,
    [id],
  );
  return rows[0];
}

/**
 * Takes a pending delivery for one attempt (a lease longer than the request timeout). False when it is no longer
 * pending or another run holds it.
 */
export async function leaseDelivery(m: EntityManager, id: string, leaseMs: number): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `WITH leased AS (
       UPDATE webhook_deliveries SET locked_until = now() + ($2::int * interval '1 millisecond')
       WHERE id = $1 AND status = 'pending' AND (locked_until IS NULL OR locked_until < now())
       RETURNING id)
     SELECT id FROM leased`,
    [id, leaseMs],
  );
  return rows.length > 0;
}

export interface AttemptOutcome {
  status: DeliveryStatus;
  statusCode: number | null;
  error: string | null;
  /** Milliseconds until the next attempt; null when none follows. */
  retryInMs: number | null;
}

/** False when the delivery stopped being pending meanwhile (its webhook was deleted): that outcome stands. */
export async function recordAttempt(m: EntityManager, id: string, outcome: AttemptOutcome): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `WITH attempted AS (
     UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, last_status_code = $3, last_error = $4,
       next_attempt_at = CASE WHEN $5::int IS NULL THEN NULL ELSE now() + ($5::int * interval '1 millisecond') END,
       delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END,
       locked_until = NULL
     WHERE id = $1 AND status = 'pending' RETURNING id)
     SELECT id FROM attempted`,
    [id, outcome.status, outcome.statusCode, outcome.error, outcome.retryInMs],
  );
  return rows.length > 0;
}

export async function failUndeliverable(m: EntityManager, id: string, error: string): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `WITH failed AS (
       UPDATE webhook_deliveries SET status = 'failed', last_error = $2, next_attempt_at = NULL, locked_until = NULL
       WHERE id = $1 AND status = 'pending' RETURNING id)
     SELECT id FROM failed`,
    [id, error],
  );
  return rows.length > 0;
}

export async function listDeliveries(
  m: EntityManager,
  webhookId: string,
  limit: number,
  after?: Cursor,
): Promise<DeliveryRow[]> {
  const params: unknown[] = [webhookId, limit];
  const keyset = after
    ? `AND (created_at, id) < ($${params.push(after.at)}::timestamptz, $${params.push(after.id)}::uuid)`
    : '';
  return m.query(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1 ${keyset} ORDER BY created_at DESC, id DESC LIMIT $2`,
    params,
  );
}
