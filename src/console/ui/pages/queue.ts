import { getJson } from '../api';
import { claimedBy, claimOrder, isOverdue, leaseLeft } from '../cases-model';
import { claimNext } from '../claim';
import { badge, field, h, replace, select } from '../dom';
import { countdown, dateTime, duration } from '../format';
import { announce, errorMessage } from '../live';
import { caseHref, href } from '../router';
import type { Paged, ReviewCase } from '../types';
import { every, type PageContext } from './page';

/** "Undecided" is every status but closed: the API filters one status at a time, so it is fetched as five. */
const UNDECIDED = ['open', 'held', 'escalated', 'awaiting_approval', 'information_requested'];
const STATUSES: [string, string][] = [
  ['', 'Undecided (all but closed)'],
  ['open', 'open'],
  ['held', 'held for documents'],
  ['escalated', 'escalated'],
  ['awaiting_approval', 'waiting for approval'],
  ['information_requested', 'waiting for the broker'],
  ['closed', 'closed'],
];
const PRIORITIES: [string, string][] = [
  ['', 'Any'],
  ['critical', 'critical'],
  ['high', 'high'],
  ['normal', 'normal'],
  ['low', 'low'],
];
const LEVELS: [string, string][] = [
  ['', 'Any'],
  ['BLOCK', 'BLOCK'],
  ['REVIEW', 'REVIEW'],
];

function caseRow(
  c: ReviewCase,
  ctx: PageContext,
  now: number,
  leases: Map<HTMLElement, ReviewCase>,
): HTMLTableRowElement {
  const overdue = isOverdue(c, now);
  const mine = claimedBy(c, ctx.user.keyId, now);
  const left = leaseLeft(c, now);
  let holder: HTMLElement | string = c.claimed ? (c.assigneePerson ?? c.assigneeName ?? 'claimed') : '—';
  if (mine) {
    holder = h('span', { class: 'lease' }, countdown(left ?? 0));
    leases.set(holder, c);
  }
  return h(
    'tr',
    { class: mine ? 'claimed' : null },
    h('td', null, badge(c.priority, c.priority)),
    h(
      'td',
      { class: overdue ? 'overdue' : null },
      h('time', { datetime: c.deadline }, dateTime(c.deadline)),
      overdue ? [' ', badge('overdue', 'overdue')] : null,
    ),
    h('td', null, badge(c.level, c.level)),
    h('th', { scope: 'row' }, h('a', { href: caseHref(c.id) }, c.reference)),
    h('td', null, c.organization),
    h('td', null, duration(now - Date.parse(c.createdAt))),
    h('td', null, c.status.replace(/_/g, ' ')),
    h('td', null, mine ? [holder, h('span', { class: 'visually-hidden' }, ' left on your claim')] : holder),
  );
}

export async function renderQueue(ctx: PageContext): Promise<void> {
  const q = ctx.route.query;
  const canClaim = ctx.user.role === 'reviewer' || ctx.user.role === 'supervisor';
  const status = select('status', STATUSES, q.get('status') ?? '');
  const priority = select('priority', PRIORITIES, q.get('priority') ?? '');
  const level = select('level', LEVELS, q.get('level') ?? '');
  const assignee = select(
    'assignee',
    [
      ['', 'Anyone or nobody'],
      ['me', 'Me'],
      ['none', 'Nobody'],
    ],
    q.get('assignee') ?? '',
  );
  const overdueOnly = h('input', {
    type: 'checkbox',
    name: 'overdue',
    id: 'overdue-only',
    checked: q.get('overdue') === 'true',
  });
  const org = h('input', {
    name: 'organization',
    type: 'search',
    value: q.get('organization') ?? '',
    autocomplete: 'off',
  });
  const filters = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter the queue' },
    field('Status', status),
    field('Priority', priority),
    field('Outcome', level),
    field('Claimed by', assignee),
    field('Organisation', org),
    h('div', { class: 'field check' }, h('label', { for: 'overdue-only' }, overdueOnly, ' Overdue only')),
    h('button', { type: 'submit' }, 'Filter'),
  );
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = href('queue', {
      status: status.value,
      priority: priority.value,
      level: level.value,
      assignee: assignee.value,
      organization: org.value.trim(),
      overdue: overdueOnly.checked ? 'true' : undefined,
    });
  });

  const statuses = q.get('status') ? [q.get('status') as string] : UNDECIDED;
  const apiQuery = {
    priority: q.get('priority') ?? undefined,
    level: q.get('level') ?? undefined,
    assignee: q.get('assignee') ?? undefined,
    overdue: q.get('overdue') ?? undefined,
    order: 'claim',
    limit: 200,
  };
  let truncated = false;
  const load = async (): Promise<ReviewCase[]> => {
    const pages = await Promise.all(
      statuses.map((s) => getJson<Paged<ReviewCase>>('/v1/cases', { ...apiQuery, status: s }, ctx.signal)),
    );
    truncated = pages.some((p) => p.nextCursor !== null);
    const orgFilter = (q.get('organization') ?? '').toLowerCase();
    return pages
      .flatMap((p) => p.items)
      .filter((c) => !orgFilter || c.organization.toLowerCase().includes(orgFilter))
      .sort(claimOrder);
  };

  const body = h('tbody');
  const count = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  const leases = new Map<HTMLElement, ReviewCase>();
  const draw = (cases: ReviewCase[]): void => {
    const now = Date.now();
    leases.clear();
    replace(
      body,
      cases.map((c) => caseRow(c, ctx, now, leases)),
    );
    if (cases.length === 0) body.append(h('tr', null, h('td', { colspan: 8, class: 'muted' }, 'No case matches.')));
    const overdue = cases.filter((c) => isOverdue(c, now)).length;
    count.textContent = `${cases.length} case${cases.length === 1 ? '' : 's'}${overdue ? `, ${overdue} overdue` : ''}${truncated ? ' (the most urgent 200 of each status; filter to see others)' : ''}. Updated ${dateTime(new Date(now).toISOString())}.`;
  };
  draw(await load());

  const refresh = async (): Promise<void> => {
    try {
      draw(await load());
    } catch (err) {
      if (!ctx.signal.aborted) announce(`Could not refresh the queue: ${errorMessage(err)}`, 'error');
    }
  };
  every(ctx, 1000, () => {
    const now = Date.now();
    for (const [el, c] of leases) {
      const left = leaseLeft(c, now) ?? 0;
      el.textContent = countdown(left);
      el.classList.toggle('low', left < 60_000);
    }
  });
  every(ctx, 30_000, () => void refresh());

  const claim = h(
    'button',
    { type: 'button', class: 'primary', 'aria-keyshortcuts': 'n', onclick: () => void claimNext() },
    'Claim next case ',
    h('kbd', null, 'n'),
  );
  if (canClaim) ctx.shortcuts({ n: () => void claimNext() });
  replace(
    ctx.main,
    h('h1', { tabindex: -1 }, 'Review queue'),
    h(
      'div',
      { class: 'toolbar' },
      canClaim ? claim : null,
      h('button', { type: 'button', onclick: () => void refresh() }, 'Refresh'),
      h('span', { class: 'grow' }),
    ),
    filters,
    count,
    h(
      'table',
      { class: 'data queue' },
      h('caption', { class: 'visually-hidden' }, 'Cases in claim order: priority, then deadline, then age'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Priority', 'Deadline', 'Outcome', 'Declaration', 'Organisation', 'Age', 'Status', 'Claim'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      body,
    ),
  );
}
