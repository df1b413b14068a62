import { getJson } from '../api';
import { declarationRequestPanel } from '../components/information-requests';
import { declarationView } from '../components/declaration-view';
import { historyList } from '../components/history';
import { hitList } from '../components/hits';
import { badge, field, h, replace, select } from '../dom';
import { dateTime, localInputToIso } from '../format';
import { announce, errorMessage } from '../live';
import { caseHref, declarationHref, href } from '../router';
import type { DeclarationDetail, DeclarationSummary, Paged } from '../types';
import type { PageContext } from './page';

const STATUSES: [string, string][] = [
  ['', 'Any'],
  ['screening', 'screening'],
  ['cleared', 'cleared'],
  ['under_review', 'under review'],
  ['information_requested', 'information requested'],
  ['released', 'released'],
  ['held', 'held'],
  ['refused', 'refused'],
];
const OUTCOMES: [string, string][] = [
  ['', 'Any'],
  ['CLEAR', 'CLEAR'],
  ['REVIEW', 'REVIEW'],
  ['BLOCK', 'BLOCK'],
];

function row(d: DeclarationSummary): HTMLTableRowElement {
  return h(
    'tr',
    null,
    h('th', { scope: 'row' }, h('a', { href: declarationHref(d.id) }, d.reference)),
    h('td', null, d.organization),
    h('td', null, d.procedure),
    h('td', null, badge(d.status.replace('_', ' '), d.status)),
    h('td', null, d.outcome ? badge(d.outcome, d.outcome) : '—'),
    h('td', { class: 'num' }, d.riskScore ?? '—'),
    h('td', null, h('time', { datetime: d.createdAt }, dateTime(d.createdAt))),
  );
}

/** The search filters of issue 13, as [query parameter, label, hint]; the API folds and checks each value. */
const SEARCH: [string, string, string][] = [
  ['party', 'Party name', 'Any role, any script: Vostok finds ВОСТОК ООО'],
  ['identifier', 'Identifier', 'A value, or TYPE:value (INN:7707083893)'],
  ['hsCode', 'HS code', 'Prefix: 8542 finds 8542.31'],
  ['country', 'Country', 'ISO code of a party, the route or the origin'],
  ['listEntry', 'List entry', 'listId:entryId hit by the latest screening'],
];

/**
 * Search by reference, status, outcome, submission date and the search filters (party, identifier, HS code, country,
 * list entry, and organisation for the authority); the filters live in the URL hash so a search can be shared.
 */
export async function renderDeclarations(ctx: PageContext): Promise<void> {
  const q = ctx.route.query;
  const reference = h('input', {
    name: 'reference',
    type: 'search',
    value: q.get('reference') ?? '',
    maxlength: 100,
    autocomplete: 'off',
  });
  const status = select('status', STATUSES, q.get('status') ?? '');
  const outcome = select('outcome', OUTCOMES, q.get('outcome') ?? '');
  const from = h('input', { name: 'from', type: 'date', value: q.get('from') ?? '' });
  const to = h('input', { name: 'to', type: 'date', value: q.get('to') ?? '' });
  // A broker sees its own organisation only, so it gets no organisation filter.
  const searchFields =
    ctx.user.role === 'broker'
      ? SEARCH
      : [...SEARCH, ['organization', 'Organisation', 'Exactly as registered'] as [string, string, string]];
  const search = searchFields.map(([name, label, hint]) => ({
    name,
    label,
    hint,
    input: h('input', { name, type: 'search', value: q.get(name) ?? '', maxlength: 300, autocomplete: 'off' }),
  }));
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Search declarations' },
    field('Reference', reference),
    field('Status', status),
    field('Outcome', outcome),
    field('Submitted from', from),
    field('Submitted to (inclusive)', to),
    search.map((f) => field(f.label, f.input, f.hint)),
    h('button', { type: 'submit', class: 'primary' }, 'Search'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = href('declarations', {
      reference: reference.value.trim(),
      status: status.value,
      outcome: outcome.value,
      from: from.value,
      to: to.value,
      ...Object.fromEntries(search.map((f) => [f.name, f.input.value.trim()])),
    });
  });

  const toDay = q.get('to') ? new Date(`${q.get('to')}T00:00`) : undefined;
  if (toDay) toDay.setDate(toDay.getDate() + 1);
  const query = {
    reference: q.get('reference') ?? undefined,
    status: q.get('status') ?? undefined,
    outcome: q.get('outcome') ?? undefined,
    from: q.get('from') ? localInputToIso(`${q.get('from')}T00:00`) : undefined,
    to: toDay?.toISOString(),
    limit: 50,
    ...Object.fromEntries(search.map((f) => [f.name, q.get(f.name) ?? undefined])),
  };
  const first = await getJson<Paged<DeclarationSummary>>('/v1/declarations', query, ctx.signal);
  const body = h('tbody', null, first.items.map(row));
  const count = h('p', { role: 'status', 'aria-live': 'polite', class: 'muted' });
  let cursor = first.nextCursor;
  let shown = first.items.length;
  const more = h('button', { type: 'button', hidden: !cursor }, 'Load more');
  const setCount = (): void => {
    count.textContent = `${shown} declaration${shown === 1 ? '' : 's'} shown${cursor ? ', more available' : ''}.`;
  };
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const next = await getJson<Paged<DeclarationSummary>>(
        '/v1/declarations',
        { ...query, cursor: cursor ?? undefined },
        ctx.signal,
      );
      body.append(...next.items.map(row));
      shown += next.items.length;
      cursor = next.nextCursor;
      more.hidden = !cursor;
      setCount();
    } catch (err) {
      announce(`Could not load more: ${errorMessage(err)}`, 'error');
    } finally {
      more.disabled = false;
    }
  });
  setCount();
  replace(
    ctx.main,
    h('h1', { tabindex: -1 }, 'Declarations'),
    form,
    count,
    h(
      'table',
      { class: 'data' },
      h('caption', { class: 'visually-hidden' }, 'Declarations, newest first'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Reference', 'Organisation', 'Procedure', 'Status', 'Outcome', 'Risk', 'Submitted'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      body,
    ),
    more,
  );
}

/** One declaration, read-only: the declaration, its latest screening with every hit, its case and its history. */
export async function renderDeclaration(ctx: PageContext): Promise<void> {
  const d = await getJson<DeclarationDetail>(
    `/v1/declarations/${encodeURIComponent(ctx.route.id ?? '')}`,
    undefined,
    ctx.signal,
  );
  const hits = d.screening?.hits ?? [];
  const canOpenCase = d.case && ctx.user.role !== 'broker';
  replace(
    ctx.main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/declarations' }, 'Declarations'), ' / ', d.reference),
    h('h1', { tabindex: -1 }, `Declaration ${d.reference}`),
    h(
      'p',
      { class: 'status-line' },
      badge(d.status.replace('_', ' '), d.status),
      ' ',
      d.outcome ? badge(d.outcome, d.outcome) : null,
      d.riskScore !== null ? ` risk ${d.riskScore}/100` : '',
      d.screening ? ` · screened ${dateTime(d.screening.screenedAt)} with rule set ${d.screening.rulesetVersion}` : '',
      canOpenCase && d.case ? [' · ', h('a', { href: caseHref(d.case.id) }, `review case (${d.case.status})`)] : null,
    ),
    declarationRequestPanel(d),
    h(
      'div',
      { class: 'split' },
      declarationView(d.declaration, hits, { organization: d.organization, createdAt: d.createdAt }),
      h(
        'section',
        { class: 'hits-panel', 'aria-labelledby': 'hits-title' },
        h('h2', { id: 'hits-title' }, `Hits (${hits.length})`),
        hitList(hits, { lineNos: d.declaration.items.map((i) => i.lineNo) }),
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, 'History'),
      historyList(d.history),
    ),
  );
}
