/**
 * Shares one run of `fn` among callers, with a guarantee each caller needs for read-your-writes: the answer comes
 * from a run that STARTED AFTER the call. A caller arriving while a run is in flight joins the next run, queued to
 * start when the current one ends; so hundreds of concurrent requests cost at most two runs, never a stale answer.
 */
export class FreshRun<T> {
  private running: Promise<T> | undefined;
  private queued: Promise<T> | undefined;

  constructor(private readonly fn: () => Promise<T>) {}

  run(): Promise<T> {
    if (!this.running) return this.start();
    this.queued ??= this.running.then(noop, noop).then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<T> {
    const p = this.fn();
    this.running = p;
    const clear = () => {
      if (this.running === p) this.running = undefined;
    };
    p.then(clear, clear);
    return p;
  }
}

function noop(): void {}
