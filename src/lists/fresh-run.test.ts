import { FreshRun } from './fresh-run';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('FreshRun', () => {
  it('answers every caller from a run that started after its call, sharing runs among concurrent callers', async () => {
    const runs: { resolve: (v: number) => void }[] = [];
    const fresh = new FreshRun(() => {
      const d = deferred<number>();
      runs.push(d);
      return d.promise;
    });
    const first = fresh.run();
    // Arrive while run 0 is in flight: run 0 may have read before they arrived, so they share run 1.
    const second = fresh.run();
    const third = fresh.run();
    expect(runs).toHaveLength(1);
    runs[0].resolve(0);
    expect(await first).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(runs).toHaveLength(2);
    const fourth = fresh.run(); // arrives while run 1 is in flight
    runs[1].resolve(1);
    expect(await second).toBe(1);
    expect(await third).toBe(1);
    await new Promise((r) => setImmediate(r));
    runs[2].resolve(2);
    expect(await fourth).toBe(2);
    expect(runs).toHaveLength(3);
  });

  it("starts the next run after a failed one, and reports the failure only to that run's callers", async () => {
    let n = 0;
    const fresh = new FreshRun(async () => {
      n += 1;
      if (n === 1) throw new Error('down');
      return n;
    });
    const failed = fresh.run();
    const next = fresh.run();
    await expect(failed).rejects.toThrow('down');
    expect(await next).toBe(2);
  });
});
