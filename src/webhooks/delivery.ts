import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.service';
import type { UnitOfWork } from '../db/unit-of-work';
import { backoffDelay, type JobHandlers, type JobPolicy } from '../jobs/catalogue';
import { enqueueInTransaction } from '../jobs/outbox';
import { publicEventData } from './event-data';
import type { DispatchedEvent } from '../jobs/webhook-events';
import { sendWebhook, type SendInput, type SendResult } from './sender';
import { subscribedWebhookIds } from './subscriptions.repository';
import {
  createDeliveries,
  failUndeliverable,
  findSendableDelivery,
  leaseDelivery,
  recordAttempt,
} from './webhooks.repository';

/** Each POST may take this long, all told. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** An attempt's hold on its delivery: longer than the timeout, so a second run of the job cannot send at the same time. */
const LEASE_MS = DELIVERY_TIMEOUT_MS * 6;

export class WebhookDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

export interface DeliveryDeps {
  dataSource: DataSource;
  uow: UnitOfWork;
  logger: Logger;
  allowPrivate: boolean;
  /** The webhooks.deliver policy in force (its base is WEBHOOK_RETRY_BASE_MS), to tell the last attempt and the next. */
  policy: JobPolicy;
  send?: (input: SendInput) => Promise<SendResult>;
}

/** The body every subscriber receives, serialised once so each retry sends (and signs) the same bytes. */
export function eventBody(event: DispatchedEvent): string {
  return JSON.stringify({
    id: event.eventId,
    type: event.type,
    createdAt: event.createdAt,
    organization: event.organization,
    data: publicEventData(event.type, event.data),
  });
}

export function webhookJobHandlers(deps: DeliveryDeps): Pick<JobHandlers, 'webhooks.dispatch' | 'webhooks.deliver'> {
  const send = deps.send ?? sendWebhook;

  /** Idempotent: a second run finds the delivery rows (unique per webhook and event) and the deliver jobs (by dedupe key). */
  async function dispatch(event: DispatchedEvent): Promise<void> {
    await deps.uow.run(async (m) => {
      const webhookIds = await subscribedWebhookIds(m, event.organization, event.type);
      const pending = await createDeliveries(m, webhookIds, {
        eventId: event.eventId,
        type: event.type,
        subjectId: event.subjectId,
        body: eventBody(event),
      });
      for (const deliveryId of pending) {
        await enqueueInTransaction(
          m,
          'webhooks.deliver',
          { deliveryId },
          { dedupeKey: `webhooks.deliver:${deliveryId}` },
        );
      }
    });
  }

  /**
   * One attempt. The delivery row is the state: a delivered or failed delivery is never sent again, however often the
   * job runs. A failed attempt is recorded, then thrown, so the job runner retries with the policy's backoff.
   */
  async function deliver({ deliveryId }: { deliveryId: string }, meta: { attempt: number }): Promise<void> {
    const delivery = await findSendableDelivery(deps.dataSource.manager, deliveryId);
    if (!delivery || delivery.status !== 'pending') return;
    if (delivery.webhook_deleted) {
      await deps.uow.run(async (m) => {
        if (await failUndeliverable(m, deliveryId, 'webhook deleted'))
          await audit(m, 'webhook_delivery.failed', deliveryId, {
            webhookId: delivery.webhook_id,
            eventId: delivery.event_id,
            error: 'webhook deleted',
          });
      });
      return;
    }
    if (!(await leaseDelivery(deps.dataSource.manager, deliveryId, LEASE_MS))) {
      throw new WebhookDeliveryError('another attempt at this delivery is in progress');
    }
    const result = await send({
      url: delivery.url,
      eventId: delivery.event_id,
      body: delivery.body,
      secret: delivery.secret,
      allowPrivate: deps.allowPrivate,
      timeoutMs: DELIVERY_TIMEOUT_MS,
    });
    const last = !result.ok && meta.attempt >= deps.policy.attempts;
    const recorded = await deps.uow.run(async (m) => {
      const stillPending = await recordAttempt(m, deliveryId, {
        status: result.ok ? 'delivered' : last ? 'failed' : 'pending',
        statusCode: result.statusCode,
        error: result.error,
        retryInMs: result.ok || last ? null : backoffDelay(deps.policy, meta.attempt),
      });
      // Outcomes are audited (proof that a customer was told, or could not be); individual retries are not.
      if (stillPending && (result.ok || last)) {
        await audit(m, result.ok ? 'webhook_delivery.delivered' : 'webhook_delivery.failed', deliveryId, {
          webhookId: delivery.webhook_id,
          eventId: delivery.event_id,
          statusCode: result.statusCode,
          error: result.error,
          attempt: meta.attempt,
        });
      }
      return stillPending;
    });
    deps.logger.debug(
      { deliveryId, attempt: meta.attempt, statusCode: result.statusCode, ok: result.ok },
      'webhook delivery attempt',
    );
    if (!result.ok && recorded)
      throw new WebhookDeliveryError(`webhook delivery ${deliveryId} failed: ${result.error}`);
  }

  return { 'webhooks.dispatch': dispatch, 'webhooks.deliver': deliver };
}

function audit(
  m: Parameters<typeof recordAudit>[0],
  action: string,
  deliveryId: string,
  data: Record<string, unknown>,
): Promise<void> {
  return recordAudit(m, SYSTEM_ACTOR, { action, subjectType: 'webhook_delivery', subjectId: deliveryId, data });
}
