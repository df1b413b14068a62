import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The one session of an embedded PGlite, shared by every pool connection, as a queue of wire-protocol messages that
 * never interleaves two clients' work.
 *
 * pglite-socket 0.2's own queue keeps a client's messages together only while a transaction is open. Outside one, the
 * Parse / Bind / Describe / Execute / Sync messages of two connections interleave on the single session, so one
 * connection binds to the other's unnamed statement: errors ("bind message supplies 3 parameters, but prepared
 * statement "" requires 2") or, worse, one connection running the other's SQL with its own values.
 *
 * Here the session has an owner: the client whose extended-protocol group is open (from its first Parse, Bind, ...
 * up to its Sync) or whose transaction is open. While it has one, only the owner's messages run; the others wait in
 * arrival order. A simple Query ('Q') is a group of its own. A client that disconnects while it owns the session has
 * its group closed (Sync) and its transaction rolled back, so nobody else inherits its state.
 */
export class WireMessageQueue {
  private queue: QueuedMessage[] = [];
  private processing = false;
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.processQueue();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  /** The client went away: its queued messages are dropped. */
  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  /** The client went away: if it owned the session, its open group is synced away and its transaction rolled back. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    await this.db.runExclusive(async () => {
      await this.db.execProtocolRawStream(SYNC, { onRawData: () => undefined });
      if (this.db.isInTransaction()) await this.db.execProtocolRawStream(ROLLBACK, { onRawData: () => undefined });
    });
    this.owner = null;
    await this.processQueue();
  }

  private next(): QueuedMessage | undefined {
    if (this.owner === null) return this.queue.shift();
    const at = this.queue.findIndex((item) => item.handlerId === this.owner);
    return at === -1 ? undefined : this.queue.splice(at, 1)[0];
  }

  private async processQueue(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        const current = item;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (err) {
          // A failure of the engine itself (SQL errors are answered in the protocol): the client hears of it and the
          // queue goes on, rather than stalling every other connection for good.
          this.owner = this.db.isInTransaction() ? current.handlerId : null;
          current.reject(err);
          continue;
        }
        this.owner = ownerAfter(current.message[0], current.handlerId, this.owner, this.db.isInTransaction());
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }
}

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
}

const code = (c: string) => c.charCodeAt(0);
/** Frontend messages that open or continue an extended-query group: Parse, Bind, Describe, Execute, Close, Flush. */
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map(code));
/** Messages that end a group: Sync, and a simple Query (a group of its own). */
const GROUP_END = new Set(['S', 'Q'].map(code));

/** Who owns the session after a message from `handlerId` ran. Exported for the unit test. */
export function ownerAfter(
  type: number,
  handlerId: number,
  owner: number | null,
  inTransaction: boolean,
): number | null {
  if (EXTENDED.has(type)) return handlerId;
  if (GROUP_END.has(type)) return inTransaction ? handlerId : null;
  // Startup, Terminate, COPY data and the like: a transaction still binds the session to its client.
  if (inTransaction) return handlerId;
  return owner;
}

function message(type: string, body: Buffer = Buffer.alloc(0)): Uint8Array {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(4 + body.length, 1);
  return new Uint8Array(Buffer.concat([header, body]));
}

const SYNC = message('S');
const ROLLBACK = message('Q', Buffer.from('ROLLBACK\0', 'utf8'));

/** Replaces the socket server's own queue (before start: each connection's handler takes the server's queue). */
export function installWireMessageQueue(server: PGLiteSocketServer, db: PGlite): WireMessageQueue {
  const queue = new WireMessageQueue(db);
  const internals = server as unknown as { queryQueue: unknown };
  if (!('queryQueue' in internals))
    throw new Error('pglite-socket changed: PGLiteSocketServer has no queryQueue to replace');
  internals.queryQueue = queue;
  return queue;
}
