import type { DataSource, EntityManager } from 'typeorm';

/**
 * Transactions at the use-case boundary. After each commit the job runner is woken so outbox rows written in the
 * transaction are relayed at once instead of at the next poll.
 */
export class UnitOfWork {
  private afterCommit: () => void = () => undefined;

  constructor(private readonly dataSource: DataSource) {}

  onCommit(listener: () => void): void {
    this.afterCommit = listener;
  }

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.afterCommit();
    return result;
  }

  /**
   * For work that is one statement (atomic by itself): no BEGIN/COMMIT round trips, same after-commit wake-up, unless
   * `wrote` says the statement queued no job (a clear declaration without webhooks): then the relay is left asleep
   * instead of running a claim query that finds nothing.
   */
  async runStatement<T>(work: (manager: EntityManager) => Promise<T>, wrote?: (result: T) => boolean): Promise<T> {
    const result = await work(this.dataSource.manager);
    if (!wrote || wrote(result)) this.afterCommit();
    return result;
  }
}
