import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { UnitOfWork } from '../db/unit-of-work';
import type { RouteDef } from '../http/route';
import { JOB_POLICIES, type JobHandlers, type JobPolicies } from '../jobs/catalogue';
import { webhookJobHandlers } from './delivery';
import { webhookRoutes } from './webhooks.routes';
import { WebhooksService } from './webhooks.service';

export interface WebhooksFeature {
  service: WebhooksService;
  routes: RouteDef[];
  jobHandlers: Pick<JobHandlers, 'webhooks.dispatch' | 'webhooks.deliver'>;
  /** Catalogue policies as configured here (the delivery backoff base is WEBHOOK_RETRY_BASE_MS). */
  jobPolicies: Pick<JobPolicies, 'webhooks.deliver'>;
}

export function createWebhooksFeature(deps: {
  dataSource: DataSource;
  uow: UnitOfWork;
  logger: Logger;
  config: Config;
}): WebhooksFeature {
  const allowPrivate = deps.config.WEBHOOK_ALLOW_PRIVATE_URLS;
  const policy = { ...JOB_POLICIES['webhooks.deliver'], backoffMs: deps.config.WEBHOOK_RETRY_BASE_MS };
  const service = new WebhooksService(deps.dataSource, deps.uow, {
    allowPrivateUrls: allowPrivate,
    maxPerOrganization: deps.config.WEBHOOKS_PER_ORGANIZATION,
  });
  return {
    service,
    routes: webhookRoutes(service),
    jobHandlers: webhookJobHandlers({
      dataSource: deps.dataSource,
      uow: deps.uow,
      logger: deps.logger,
      allowPrivate,
      policy,
    }),
    jobPolicies: { 'webhooks.deliver': policy },
  };
}
