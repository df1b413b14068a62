import { ApiKey } from '../auth/api-key.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { OutboxJob } from '../jobs/outbox.entity';
import { ListVersion, ReferenceList } from '../lists/list.entity';

/** Every TypeORM entity of the service; features add theirs here. */
export const ENTITIES = [ApiKey, AuditEvent, OutboxJob, ReferenceList, ListVersion];
