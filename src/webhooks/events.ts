import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { enqueueInTransaction } from '../jobs/outbox';
import type { WebhookEventType } from '../jobs/webhook-events';
import { dispatchJob } from './event-data';
import { hasSubscriber } from './subscriptions.repository';

// The event types and the dispatch job's payload are declared with the job catalogue (jobs does not import webhooks).

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

/**
 * Announces an event to the organisation's webhooks. Call it INSIDE the business transaction that makes the change:
 * the dispatch job is written to the outbox with the change, so a rolled-back change sends nothing and a committed one
 * is never lost. Cheap when nobody listens: no job is written unless a webhook of the organisation subscribes to it.
 */
export async function emitWebhookEvent(manager: EntityManager, event: WebhookEvent): Promise<void> {
  if (!(await hasSubscriber(manager, event.organization, event.type))) return;
  // The same payload and dedupe key as the submission's one-statement write builds (event-data.ts dispatchJob).
  const { payload, dedupeKey } = dispatchJob(
    { ...event, eventId: event.eventId ?? randomUUID() },
    new Date().toISOString(),
  );
  await enqueueInTransaction(manager, 'webhooks.dispatch', payload, { dedupeKey });
}
