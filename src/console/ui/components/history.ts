import { h } from '../dom';
import { dateTime, humanize } from '../format';
import type { HistoryEvent } from '../types';

const SHOWN_DATA = [
  'action',
  'reason',
  'approve',
  'outcome',
  'from',
  'to',
  'priority',
  'level',
  'status',
  'resolution',
  'falsePositiveHitIds',
  'leaseExpiresAt',
];

function dataSummary(data: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of SHOWN_DATA) {
    const value = data[key];
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) continue;
    parts.push(`${humanize(key)}: ${Array.isArray(value) ? value.length : String(value)}`);
  }
  return parts.join('; ');
}

/** The audit trail of a declaration or case, oldest first. */
export function historyList(events: HistoryEvent[] | undefined): HTMLElement {
  if (!events?.length) return h('p', { class: 'muted' }, 'No history yet.');
  return h(
    'ol',
    { class: 'history' },
    events.map((e) =>
      h(
        'li',
        null,
        h('time', { datetime: e.occurredAt }, dateTime(e.occurredAt)),
        ' ',
        h('strong', null, e.action),
        ` by ${e.actor.person ? `${e.actor.person}, ` : ''}${e.actor.role}${e.actor.organization ? ` (${e.actor.organization})` : ''}`,
        dataSummary(e.data) ? h('span', { class: 'muted' }, ` — ${dataSummary(e.data)}`) : null,
      ),
    ),
  );
}
