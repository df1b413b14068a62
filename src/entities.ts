import { ApiKey } from './auth/api-key.entity';
import { AuditEvent } from './audit/audit-event.entity';
import { OutboxJob } from './jobs/outbox.entity';
import { ListVersion, ReferenceList } from './lists/list.entity';

/**
 * Every TypeORM entity of the service; features add theirs here. Listed at the top, next to the composition root,
 * rather than in src/db, so that the database plumbing imports no feature folder (db/data-source.ts reads it).
 */
export const ENTITIES = [ApiKey, AuditEvent, OutboxJob, ReferenceList, ListVersion];
