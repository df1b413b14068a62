/** Queue order and case state as the console shows them. Pure: unit-tested. */
import type { ReviewCase } from './types';

/** The order POST /v1/cases/claim takes cases in: priority, then deadline, then age (to merge several pages). */
export function claimOrder(a: ReviewCase, b: ReviewCase): number {
  return (
    a.priorityRank - b.priorityRank ||
    Date.parse(a.deadline) - Date.parse(b.deadline) ||
    Date.parse(a.createdAt) - Date.parse(b.createdAt)
  );
}

/**
 * Past its deadline and undecided (the server's flag, or the clock since the page loaded). A case whose SLA is paused
 * (waiting for the broker) is not late by the clock: its deadline moves when the answer comes.
 */
export function isOverdue(
  c: Pick<ReviewCase, 'deadline' | 'closedAt' | 'overdue' | 'slaPausedAt'>,
  now: number,
): boolean {
  return !c.closedAt && (c.overdue || (!c.slaPausedAt && Date.parse(c.deadline) < now));
}

/** Milliseconds left on a lease, or null when there is none. */
export function leaseLeft(c: Pick<ReviewCase, 'leaseExpiresAt'>, now: number): number | null {
  return c.leaseExpiresAt ? Date.parse(c.leaseExpiresAt) - now : null;
}

/** Whether the case is leased to this key right now. */
export function claimedBy(c: Pick<ReviewCase, 'assignee' | 'leaseExpiresAt'>, keyId: string, now: number): boolean {
  const left = leaseLeft(c, now);
  return c.assignee === keyId && left !== null && left > 0;
}

/** Statuses a decision may still be taken in. */
export function undecided(c: Pick<ReviewCase, 'status'>): boolean {
  return c.status === 'open' || c.status === 'held' || c.status === 'escalated';
}
