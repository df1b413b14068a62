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
}
