import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { releaseImportLock, tryImportLock } from './versions.repository';

/**
 * Runs a version's import only where no other run of it is in progress. BullMQ can start a job twice (a worker whose
 * event loop stalls past JOB_LOCK_MS loses the job to the stalled check while still running it), and a second run
 * would delete the rows the first is writing, so the first could activate the version with rows missing. A session
 * advisory lock on a dedicated connection marks the running import; a run that finds it taken leaves the work to the
 * holder and returns. If the holder dies its connection closes, the lock goes with it, and the reconciler re-queues
 * the version still `importing`.
 */
export async function withImportLock(
  dataSource: DataSource,
  logger: Logger,
  versionId: string,
  work: () => Promise<void>,
): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    if (!(await tryImportLock(runner, versionId))) {
      logger.info({ versionId }, 'this version is being imported by another run; leaving it to that one');
      return;
    }
    try {
      await work();
    } finally {
      await releaseImportLock(runner, versionId);
    }
  } finally {
    await runner.release();
  }
}
