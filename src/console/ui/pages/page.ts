import type { Route } from '../router';
import type { Shortcuts } from '../shortcuts';
import type { WhoAmI } from '../types';

/** What a page gets to render itself into <main>. */
export interface PageContext {
  main: HTMLElement;
  user: WhoAmI;
  route: Route;
  /** Aborted when the user leaves the page: pending fetches stop, timers are cleared through onLeave. */
  signal: AbortSignal;
  onLeave(cleanup: () => void): void;
  shortcuts(map: Shortcuts): void;
}

export type PageRender = (ctx: PageContext) => Promise<void>;

/** Runs `tick` every `ms` until the page is left. */
export function every(ctx: PageContext, ms: number, tick: () => void): void {
  const timer = window.setInterval(tick, ms);
  ctx.onLeave(() => window.clearInterval(timer));
}
