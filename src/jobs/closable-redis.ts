import IORedis, { type RedisOptions } from 'ioredis';

/** States in which a client is trying to reach Redis and has not (yet) got there. */
const REACHING = new Set(['connecting', 'connect', 'reconnecting']);

/**
 * An ioredis client that can always be closed, for BullMQ's worker, whose `close()` otherwise hangs for ever when
 * Redis is unreachable (bullmq #4656, still open for 6.7):
 *
 * - ioredis 5 clears the pending reconnection timer on `disconnect()`, but a client in the `reconnecting` state has no
 *   socket, so no `close` follows: the client never reaches `end`, its queued commands never settle and nothing emits
 *   `end`, the event BullMQ waits for. Here such a client is ended the way ioredis ends one that gives up
 *   reconnecting: its commands are rejected and `end` is emitted.
 * - BullMQ makes its blocking connection by duplicating the one it is given, and closing that connection first awaits
 *   its start-up (ready, then `INFO`), which never finishes while Redis is down. So every duplicate stays in this
 *   client's family, and `endAll()` ends them all: their pending start-up fails and BullMQ's close goes on.
 */
export class ClosableRedis extends IORedis {
  private family = new Set<ClosableRedis>([this]);

  override duplicate(override?: Partial<RedisOptions>): ClosableRedis {
    const copy = new ClosableRedis({ ...this.options, ...override });
    copy.family = this.family;
    this.family.add(copy);
    return copy;
  }

  /** False while this client or a copy of it is trying to reach Redis (connecting, or waiting to reconnect). */
  get reachable(): boolean {
    for (const client of this.family) if (REACHING.has(client.status)) return false;
    return true;
  }

  /** Ends this client and every copy made of it, at once, whatever their state. */
  endAll(): void {
    for (const client of this.family) if (client.status !== 'end') client.disconnect();
  }

  override disconnect(reconnect = false): void {
    const parked = !reconnect && this.status === 'reconnecting';
    super.disconnect(reconnect);
    if (!parked) return;
    const internals = this as unknown as { setStatus?(status: string): void; flushQueue?(err: Error): void };
    if (typeof internals.setStatus !== 'function' || typeof internals.flushQueue !== 'function')
      throw new Error('ioredis changed: ClosableRedis cannot end a client between reconnection attempts');
    internals.setStatus('end');
    internals.flushQueue(new Error('Connection is closed.'));
  }
}
