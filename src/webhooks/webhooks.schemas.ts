import { z } from 'zod';
import { organizationSchema } from '../auth/api-keys.schemas';
import { WEBHOOK_EVENT_TYPES } from '../jobs/webhook-events';
import '../http/openapi';

const webhookUrl = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      ctx.addIssue({ code: 'custom', message: 'must be an http or https URL' });
    // Credentials in the URL would be shown in listings and kept forever in the audit log; receivers verify the signature.
    if (url.username || url.password)
      ctx.addIssue({ code: 'custom', message: 'must not carry credentials; verify the Webhook-Signature instead' });
  })
  .describe('http(s) URL; must resolve to public addresses');

export const webhookEventType = z.enum(WEBHOOK_EVENT_TYPES);

export const createWebhookBody = z
  .object({
    url: webhookUrl,
    events: z
      .array(webhookEventType)
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length * 4)
      .transform((events) => [...new Set(events)]),
    description: z.string().trim().max(500).optional(),
    organization: organizationSchema
      .optional()
      .describe("Admins only: the organisation whose events it receives (default: the caller's)."),
  })
  .strict()
  .openapi('CreateWebhook');

export const webhookView = z
  .object({
    id: z.string().uuid(),
    organization: z.string(),
    url: z.string(),
    events: z.array(webhookEventType),
    description: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Webhook');

export const createdWebhook = webhookView
  .extend({
    secret: z.string().describe('Signing secret (whsec_...). Shown once; store it now.'),
  })
  .openapi('CreatedWebhook');

export const webhookList = z
  .object({ items: z.array(webhookView), nextCursor: z.string().nullable() })
  .openapi('WebhookList');

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export const deliveryView = z
  .object({
    id: z.string().uuid(),
    webhookId: z.string().uuid(),
    eventId: z.string(),
    eventType: z.string(),
    subjectId: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .openapi('WebhookDelivery');

export const deliveryList = z
  .object({ items: z.array(deliveryView), nextCursor: z.string().nullable() })
  .openapi('WebhookDeliveryList');

export const webhookIdParams = z.object({ id: z.string().uuid() });

export type CreateWebhookInput = z.output<typeof createWebhookBody>;
export type WebhookView = z.output<typeof webhookView>;
export type DeliveryView = z.output<typeof deliveryView>;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
