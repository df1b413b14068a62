import { ApiKey } from './auth/api-key.entity';
import { ListVersion, ReferenceList } from './lists/list.entity';

/**
 * The TypeORM entities of the service (the tables written through TypeORM's own API; every other table is reached
 * through its folder's repository functions). Listed at the top, next to the composition root, which hands them to
 * the data source, so that the database plumbing in src/db imports no feature folder.
 */
export const ENTITIES = [ApiKey, ReferenceList, ListVersion];
