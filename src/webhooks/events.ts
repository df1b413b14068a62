import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { enqueueInTransaction } from '../jobs/outbox';
import { publicEventData } from './event-data';

/** The events a webhook may subscribe to. Adding one here is all it takes to make it subscribable. */
export const WEBHOOK_EVENT_TYPES = ['declaration.screened', 'declaration.rescreened', 'case.decided', 'case.information_requested', 'case.information_overdue', 'batch.completed', 'batch.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEvent {
  type: WebhookEventType;
  /** The organisation whose webhooks hear of it (the declaration's or batch's owner). */
  organization: string;
  /** What the event is about (declaration id, case id, batch id). */
  subjectId: string;
  data: Record<string, unknown>;
  /**
   * Makes the event unique: emitting the same type, subject and eventId twice sends it once. Pass something derived
   * from the change (e.g. a screening id) where a retried transaction could emit twice; default a random uuid.
   */
  eventId?: string;
}

/** What the webhooks.dispatch job carries: the event as it will be sent. */
export interface DispatchedEvent {
  eventId: string;
  type: WebhookEventType;
  organization: string;
  subjectId: string;
  createdAt: string;
  data: Record<string, unknown>;
}

/**
 * Announces an event to the organisation's webhooks. Call it INSIDE the business transaction that makes the change:
 * the dispatch job is written to the outbox with the change, so a rolled-back change sends nothing and a committed one
 * is never lost. Cheap when nobody listens: no job is written unless a webhook of the organisation subscribes to it.
 */
export async function emitWebhookEvent(manager: EntityManager, event: WebhookEvent): Promise<void> {
  const listeners: unknown[] = await manager.query(
    `SELECT 1 FROM webhooks WHERE organization = $1 AND deleted_at IS NULL AND $2 = ANY(events) LIMIT 1`,
    [event.organization, event.type],
  );
  if (listeners.length === 0) return;
  const eventId = event.eventId ?? randomUUID();
  const payload: DispatchedEvent = {
    eventId,
    type: event.type,
    organization: event.organization,
    subjectId: event.subjectId,
    createdAt: new Date().toISOString(),
    data: publicEventData(event.type, event.data),
  };
  await enqueueInTransaction(manager, 'webhooks.dispatch', payload, { dedupeKey: `webhooks.dispatch:${event.type}:${event.subjectId}:${eventId}` });
}
