import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import '../http/openapi';

/*
 * What a broker's webhook hears, per event type. Event data is parsed through these when emitted and again when the
 * body is built: zod drops every key not listed, so nothing of the review (who decided, why, the decision's id) reaches
 * a subscriber unless someone lists it here.
 */
const screened = z.object({
  declarationId: z.string(),
  reference: z.string(),
  outcome: z.enum(['CLEAR', 'REVIEW', 'BLOCK']),
  riskScore: z.number(),
  screeningId: z.string(),
  caseId: z.string().nullable().describe('Opaque reference of the review opened, if any'),
});

export const webhookEventData = {
  'declaration.screened': screened.openapi('DeclarationScreenedEvent', {
    description: 'Also the data of declaration.rescreened',
  }),
  'declaration.rescreened': screened,
  'case.decided': z
    .object({
      caseId: z.string(),
      declarationId: z.string(),
      reference: z.string(),
      resolution: z.enum(['released', 'refused']),
      declarationStatus: z.string(),
      decidedAt: z.string(),
    })
    .openapi('CaseDecidedEvent', { description: 'What was decided and when; never who or why' }),
  'case.information_requested': z
    .object({
      declarationId: z.string(),
      reference: z.string(),
      message: z.string().describe('What the reviewer asks for; answer with POST /v1/declarations/{id}/responses'),
      requestedAt: z.string(),
      respondBy: z
        .string()
        .describe('Unanswered by then, the review goes on without the answer (escalated); an answer is still accepted'),
    })
    .openapi('CaseInformationRequestedEvent', {
      description: 'Customs asks the broker for information; never the reason or the hits',
    }),
  'case.information_overdue': z
    .object({
      declarationId: z.string(),
      reference: z.string(),
      requestedAt: z.string(),
      respondBy: z.string(),
    })
    .openapi('CaseInformationOverdueEvent', {
      description: 'A request for information passed its respond-by time unanswered',
    }),
  'batch.completed': z.object({ batchId: z.string(), total: z.number().int() }).openapi('BatchCompletedEvent'),
  'batch.failed': z
    .object({
      batchId: z.string(),
      total: z.number().int(),
      processed: z.number().int(),
      error: z.string().describe('Which item could not be screened, and why; items already screened stay filed'),
    })
    .openapi('BatchFailedEvent'),
} as const;

export type WebhookEventDataType = keyof typeof webhookEventData;

const stripping = Object.fromEntries(
  Object.entries(webhookEventData).map(([type, schema]) => [type, schema.partial()]),
) as unknown as Record<WebhookEventDataType, z.ZodType<Record<string, unknown>>>;

/**
 * The event's data as a subscriber may see it: every unlisted key dropped. Fields are not required here, so an event
 * already in the outbox from an older release is still delivered (stripped) rather than failing forever.
 */
export function publicEventData(type: WebhookEventDataType, data: unknown): Record<string, unknown> {
  return stripping[type].parse(data);
}

/**
 * The webhooks.dispatch job of an event: its payload as it will be sent (the data stripped by publicEventData) and the
 * dedupe key that makes emitting the same type, subject and eventId twice send it once.
 */
export function dispatchJob(
  event: { eventId: string; type: WebhookEventDataType; organization: string; subjectId: string; data: unknown },
  createdAt: string,
) {
  return {
    payload: {
      eventId: event.eventId,
      type: event.type,
      organization: event.organization,
      subjectId: event.subjectId,
      createdAt,
      data: publicEventData(event.type, event.data),
    },
    dedupeKey: `webhooks.dispatch:${event.type}:${event.subjectId}:${event.eventId}`,
  };
}

/** Puts each event's data schema in the OpenAPI document's components, so subscribers can generate types. */
export function registerWebhookEventSchemas(registry: OpenAPIRegistry): OpenAPIRegistry {
  registry.register('DeclarationScreenedEvent', webhookEventData['declaration.screened']);
  registry.register('CaseDecidedEvent', webhookEventData['case.decided']);
  registry.register('CaseInformationRequestedEvent', webhookEventData['case.information_requested']);
  registry.register('CaseInformationOverdueEvent', webhookEventData['case.information_overdue']);
  registry.register('BatchCompletedEvent', webhookEventData['batch.completed']);
  registry.register('BatchFailedEvent', webhookEventData['batch.failed']);
  return registry;
}
