import type { DataSource, EntityManager } from 'typeorm';

/** What a repository function runs its SQL on: the transaction's manager, or the DataSource outside a transaction. */
export type Queryable = DataSource | EntityManager;
