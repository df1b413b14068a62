import type { DataSource } from 'typeorm';
import { recordAudit } from '../audit/audit.service';
import { auditActor, seesAllOrganizations } from '../auth/actor';
import { type Actor } from '../http/actor';
import type { UnitOfWork } from '../db/unit-of-work';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors';
import { decodeCursor, page, type Cursor } from '../http/pagination';
import { newWebhookSecret } from './signing';
import { assertAllowedUrl, UrlRefusedError, type Resolver } from './url-guard';
import type { CreateWebhookInput, DeliveryView, WebhookView } from './webhooks.schemas';
import {
  countWebhooksLocked,
  findWebhook,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  markWebhookDeleted,
  type DeliveryRow,
  type WebhookRow,
} from './webhooks.repository';

function view(row: WebhookRow): WebhookView {
  return {
    id: row.id,
    organization: row.organization,
    url: row.url,
    events: row.events,
    description: row.description,
    createdAt: row.created_at.toISOString(),
  };
}

function deliveryView(row: DeliveryRow): DeliveryView {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    eventType: row.event_type,
    subjectId: row.subject_id,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at ? row.next_attempt_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at ? row.delivered_at.toISOString() : null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our keyset cursors always carry a uuid; anything else is a forged cursor, answered 400 rather than a cast error. */
function uuidCursor(cursor: string | undefined): Cursor | undefined {
  const after = decodeCursor(cursor);
  if (after && !UUID.test(after.id)) throw new ValidationError([{ path: 'query.cursor', message: 'Invalid cursor' }]);
  return after;
}

export interface WebhooksServiceOptions {
  /** WEBHOOK_ALLOW_PRIVATE_URLS */
  allowPrivateUrls: boolean;
  /** WEBHOOKS_PER_ORGANIZATION: each webhook fans every event out into deliveries, so their number is bounded. */
  maxPerOrganization: number;
  resolve?: Resolver;
}

export class WebhooksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly options: WebhooksServiceOptions,
  ) {}

  /** Registers a webhook; the signing secret is in this answer only. */
  async create(actor: Actor, input: CreateWebhookInput): Promise<WebhookView & { secret: string }> {
    const organization = input.organization ?? actor.organization;
    if (!seesAllOrganizations(actor) && organization !== actor.organization) {
      throw new ForbiddenError('A broker registers webhooks for its own organisation only.');
    }
    try {
      await assertAllowedUrl(input.url, { allowPrivate: this.options.allowPrivateUrls, resolve: this.options.resolve });
    } catch (err) {
      if (err instanceof UrlRefusedError) throw new ValidationError([{ path: 'body.url', message: err.message }]);
      throw err;
    }
    // Stored as is, not hashed or encrypted: signing needs the secret itself (a hash cannot sign), and encrypting it with
    // a key kept in the same configuration as DATABASE_URL would protect nothing that the database grants do not.
    // The column is read only by the deliver job; no answer, listing, log line or audit event carries it.
    const secret = newWebhookSecret();
    return this.uow.run(async (m) => {
      const max = this.options.maxPerOrganization;
      if ((await countWebhooksLocked(m, organization)) >= max) {
        throw new ConflictError(
          'webhook_limit_reached',
          `Organisation ${organization} already has ${max} webhooks, the most allowed; delete one first.`,
        );
      }
      const row = await insertWebhook(m, {
        organization,
        url: input.url,
        events: input.events,
        description: input.description ?? null,
        secret,
        createdBy: actor.keyId,
      });
      await recordAudit(m, auditActor(actor), {
        action: 'webhook.created',
        subjectType: 'webhook',
        subjectId: row.id,
        data: { organization, url: row.url, events: row.events, description: row.description },
      });
      return { ...view(row), secret };
    });
  }

  /** A broker sees its organisation's webhooks; an admin sees every organisation's. Newest first. */
  async list(
    actor: Actor,
    limit: number,
    cursor?: string,
  ): Promise<{ items: WebhookView[]; nextCursor: string | null }> {
    const rows = await listWebhooks(this.dataSource.manager, this.scope(actor), limit + 1, uuidCursor(cursor));
    const result = page(rows, limit, (r) => [r.created_at, r.id]);
    return { items: result.items.map(view), nextCursor: result.nextCursor };
  }

  /** Deletes a webhook (another organisation's is 404); its pending deliveries stop. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.uow.run(async (m) => {
      const row = await findWebhook(m, id, this.scope(actor), true);
      if (!row) throw new NotFoundError('Webhook');
      await markWebhookDeleted(m, id);
      await recordAudit(m, auditActor(actor), {
        action: 'webhook.deleted',
        subjectType: 'webhook',
        subjectId: id,
        data: { organization: row.organization, url: row.url },
      });
    });
  }

  /** A webhook's deliveries, newest first, with their status and attempts. */
  async deliveries(
    actor: Actor,
    id: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
    const after = uuidCursor(cursor);
    const webhook = await findWebhook(this.dataSource.manager, id, this.scope(actor));
    if (!webhook) throw new NotFoundError('Webhook');
    const rows = await listDeliveries(this.dataSource.manager, id, limit + 1, after);
    const result = page(rows, limit, (r) => [r.created_at, r.id]);
    return { items: result.items.map(deliveryView), nextCursor: result.nextCursor };
  }

  private scope(actor: Actor): string | undefined {
    return seesAllOrganizations(actor) ? undefined : actor.organization;
  }
}
