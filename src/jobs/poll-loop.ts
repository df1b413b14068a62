/**
 * Runs `tick` repeatedly: at once while it reports work done, every `intervalMs` when idle, and immediately on wake().
 * A failing tick is reported and retried after the interval. stop() waits for the tick in progress.
 */
export class PollLoop {
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private wakeUp: (() => void) | undefined;
  private done: Promise<void> = Promise.resolve();
  private woken = false;

  constructor(
    private readonly tick: () => Promise<number>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.done = this.run();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.done;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      let worked = 0;
      try {
        worked = await this.tick();
      } catch (err) {
        this.onError(err);
      }
      if (this.stopped) break;
      if (worked > 0 || this.woken) continue;
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.timer = setTimeout(resolve, this.intervalMs);
      });
      clearTimeout(this.timer);
      this.wakeUp = undefined;
    }
  }
}
