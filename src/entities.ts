import { ApiKey } from './auth/api-key.entity';
import { AuditEvent } from './audit/audit-event.entity';
import { OutboxJob } from './jobs/outbox.entity';
import { ListVersion, ReferenceList } from './lists/list.entity';

/**
 * Every TypeORM entity of the service; features add theirs here. Listed at the top (next to the composition root,
 * which hands it to openDatabase) so that the database plumbing in src/db imports no feature.
 */
export const ENTITIES = [ApiKey, AuditEvent, OutboxJob, ReferenceList, ListVersion];
