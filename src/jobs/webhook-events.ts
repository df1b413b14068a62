/**
 * The webhook events as the job catalogue sees them: the webhooks.dispatch job carries a DispatchedEvent. They live
 * here, below both, because the webhooks feature enqueues jobs (webhooks imports jobs) while jobs never imports a
 * feature; webhooks/events.ts re-exports them for the code that emits events.
 */

/** The events a webhook may subscribe to. Adding one here is all it takes to make it subscribable. */
export const WEBHOOK_EVENT_TYPES = [
  'declaration.screened',
  'declaration.rescreened',
  'case.decided',
  'case.information_requested',
  'case.information_overdue',
  'batch.completed',
  'batch.failed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What the webhooks.dispatch job carries: the event as it will be sent. */
export interface DispatchedEvent {
  eventId: string;
  type: WebhookEventType;
  organization: string;
  subjectId: string;
  createdAt: string;
  data: Record<string, unknown>;
}
