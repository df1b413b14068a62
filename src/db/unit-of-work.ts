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

  /** For work that is one statement (atomic by itself): no BEGIN/COMMIT round trips, same after-commit wake-up. */
  async runStatement<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await work(this.dataSource.manager);
    this.afterCommit();
    return result;
  }
}
