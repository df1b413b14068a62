import { Client } from 'pg';
import type { Logger } from 'pino';

/**
 * LISTEN on one channel over a connection of its own, reconnecting after a loss. `onConnect` runs after each
 * (re)connection: notifications sent while the connection was down are lost, so the owner catches up then.
 */
export class PgListener {
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onMessage: (payload: string) => void,
    private readonly onConnect: () => void,
    private readonly logger: Logger,
  ) {}

  get listening(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url });
    let gone = false;
    const down = (err?: unknown) => {
      if (gone) return;
      gone = true;
      if (this.client === client) this.client = undefined;
      client.removeAllListeners('end');
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(
        { channel: this.channel, err: err instanceof Error ? err.message : err },
        'notification listener lost; polling until it returns',
      );
      clearTimeout(this.retry);
      this.retry = setTimeout(() => {
        this.start().catch(() => undefined);
      }, 1000);
    };
    client.on('error', down);
    client.on('end', () => down());
    client.on('notification', (msg) => {
      if (msg.channel === this.channel) this.onMessage(msg.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.client = client;
      this.onConnect();
    } catch (err) {
      down(err);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
