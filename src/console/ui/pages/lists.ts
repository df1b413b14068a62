import { getJson } from '../api';
import { badge, h, replace, table } from '../dom';
import { dateTime, rescreenText } from '../format';
import { announce, errorMessage } from '../live';
import type { ListSource, ListVersion, ListView, Paged } from '../types';
import { ageCell, refreshButton, sourceCell } from '../components/list-source';
import { uploadForm } from './list-upload';
import type { PageContext } from './page';

/** GET of one version carries its re-screening run; fetched after the first render, it never delays the page. */
function fillRescreen(ctx: PageContext, cell: HTMLElement, listId: string, versionId: string): void {
  cell.textContent = '…';
  getJson<ListVersion>(`/v1/lists/${encodeURIComponent(listId)}/versions/${versionId}`, undefined, ctx.signal).then(
    (v) => {
      cell.textContent = rescreenText(v.rescreen);
    },
    () => {
      cell.textContent = '?';
    },
  );
}

const RESCREEN_LOOKUPS = 10;

function versionRows(ctx: PageContext, versions: ListVersion[]): HTMLTableRowElement[] {
  return versions.map((v, i) =>
    h(
      'tr',
      null,
      h('td', null, dateTime(v.createdAt)),
      h('td', null, badge(v.status, v.status)),
      h('td', null, v.format),
      h('td', { class: 'num' }, v.entryCount ?? '—'),
      h('td', { class: 'num' }, v.duplicateCount),
      h('td', null, h('code', { title: v.sha256 }, v.sha256.slice(0, 12))),
      h(
        'td',
        null,
        `${v.source} by ${v.importedBy.role}${v.importedBy.organization ? ` (${v.importedBy.organization})` : ''}`,
      ),
      h(
        'td',
        null,
        v.activatedAt ? `active since ${dateTime(v.activatedAt)}` : '',
        v.supersededAt ? `; superseded ${dateTime(v.supersededAt)}` : '',
      ),
      rescreenCell(ctx, v, i < RESCREEN_LOOKUPS),
      h('td', { class: 'error-text' }, v.error ?? ''),
    ),
  );
}

function rescreenCell(ctx: PageContext, v: ListVersion | null, lookUp: boolean): HTMLTableCellElement {
  const cell = h('td', null, '—');
  if (v && lookUp && v.activatedAt) fillRescreen(ctx, cell, v.listId, v.id);
  return cell;
}

const VERSION_HEADERS = [
  'Uploaded',
  'Status',
  'Format',
  'Entries',
  'Duplicates',
  'SHA-256',
  'Source',
  'Activation',
  'Re-screening',
  'Error',
];

const LIST_HEADERS = [
  'List',
  'Kind',
  'Status',
  'Entries',
  'Active since',
  'Age',
  'Source',
  'SHA-256',
  'Last re-screening',
  '',
];

/** What a list's row shows besides the list: its source (admins and auditors), and how to re-render after a refresh. */
interface RowExtras {
  source?: ListSource;
  reload: () => Promise<void>;
}

/** A list's row, with a button that shows its versions (import status, counts, errors) underneath. */
function listRows(list: ListView, ctx: PageContext, extras: RowExtras): HTMLTableRowElement[] {
  const active = list.activeVersion;
  const detailsId = `versions-${list.id}`;
  const details = h('tr', { id: detailsId, class: 'details', hidden: true }, h('td', { colspan: LIST_HEADERS.length }));
  const toggle = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': detailsId }, 'Versions');
  toggle.addEventListener('click', async () => {
    const open = toggle.getAttribute('aria-expanded') === 'true';
    toggle.setAttribute('aria-expanded', String(!open));
    details.hidden = open;
    if (open) return;
    const cell = details.firstElementChild as HTMLElement;
    replace(cell, h('p', { class: 'muted' }, 'Loading versions…'));
    try {
      const page = await getJson<Paged<ListVersion>>(
        `/v1/lists/${encodeURIComponent(list.id)}/versions`,
        undefined,
        ctx.signal,
      );
      replace(cell, table(`Versions of ${list.name}`, VERSION_HEADERS, versionRows(ctx, page.items), true));
    } catch (err) {
      replace(cell, h('p', { class: 'error' }, errorMessage(err)));
    }
  });
  const row = h(
    'tr',
    null,
    h('th', { scope: 'row' }, list.name, h('br'), h('code', { class: 'muted' }, list.id)),
    h('td', null, list.kind),
    h('td', null, active ? badge(active.status, active.status) : badge('none', 'none')),
    h('td', { class: 'num' }, active?.entryCount ?? '—'),
    h('td', null, active ? dateTime(active.activatedAt) : '—'),
    ageCell(active),
    sourceCell(extras.source),
    h('td', null, active ? h('code', { title: active.sha256 }, active.sha256.slice(0, 12)) : '—'),
    rescreenCell(ctx, active, true),
    h(
      'td',
      { class: 'actions' },
      toggle,
      extras.source && ctx.user.role === 'admin' ? [' ', refreshButton(ctx, extras.source, extras.reload)] : null,
    ),
  );
  return [row, details];
}

/** Sources are for admins and auditors; other roles see the lists without them. */
async function loadSources(ctx: PageContext): Promise<Map<string, ListSource>> {
  if (ctx.user.role !== 'admin' && ctx.user.role !== 'auditor') return new Map();
  const { items } = await getJson<{ items: ListSource[] }>('/v1/list-sources', undefined, ctx.signal);
  return new Map(items.map((s) => [s.listId, s]));
}

export async function renderLists(ctx: PageContext): Promise<void> {
  const [{ items }, sources] = await Promise.all([
    getJson<{ items: ListView[] }>('/v1/lists', undefined, ctx.signal),
    loadSources(ctx),
  ]);
  const rows = (lists: ListView[], bySource: Map<string, ListSource>): HTMLTableRowElement[] =>
    lists.flatMap((l) => listRows(l, ctx, { source: bySource.get(l.id), reload: () => refresh() }));
  const body = h('tbody', null, rows(items, sources));
  const tableEl = h(
    'table',
    { class: 'data' },
    h('caption', { class: 'visually-hidden' }, 'Lists and their active versions'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        LIST_HEADERS.map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    body,
  );
  const count = h('span', null);
  const setCount = (n: number): void => {
    count.textContent = `${n} list${n === 1 ? '' : 's'}.`;
  };
  setCount(items.length);
  const refresh = async (): Promise<void> => {
    try {
      const [fresh, freshSources] = await Promise.all([
        getJson<{ items: ListView[] }>('/v1/lists', undefined, ctx.signal),
        loadSources(ctx),
      ]);
      replace(body, rows(fresh.items, freshSources));
      setCount(fresh.items.length);
    } catch (err) {
      announce(`Could not refresh the lists: ${errorMessage(err)}`, 'error');
    }
  };
  replace(
    ctx.main,
    h('h1', { tabindex: -1 }, 'Lists'),
    h(
      'p',
      { class: 'muted' },
      count,
      ' A new version is imported in the background and activated atomically when it is valid; open and recent declarations are then screened again against what changed.',
      ' A version that would remove too many entries of the active one is held until an admin activates it.',
    ),
    h('section', { 'aria-label': 'Lists' }, tableEl),
    ctx.user.role === 'admin' ? uploadForm(ctx, items, refresh) : null,
  );
}
