/**
 * #/dashboard: the supervisors' and auditors' landing page. Every panel has a chart (or, for routes, a heat table),
 * a table view with the same numbers and a CSV download of them; the filters live in the hash, so a view can be
 * bookmarked or shared; a print stylesheet lays the page out as a one-page report.
 */
import { getJson } from '../api';
import { barChart, COLORS, resizeOnPrint, type Chart } from '../charts';
import { field, h, replace, select, table } from '../dom';
import { href } from '../router';
import {
  fileName,
  filterFromQuery,
  heatLevel,
  PRESETS,
  presetRange,
  routeMatrix,
  toCsv,
  type CasesStats,
  type DashboardFilter,
  type HitItem,
  type OutcomePoint,
  type Preset,
  type ReexportItem,
} from '../stats-model';
import type { PageContext } from './page';

type Cell = string | number | null;

interface PanelSpec {
  id: string;
  title: string;
  /** What the chart shows, for screen readers (the canvas is an image with this name). */
  summary: string;
  headers: string[];
  rows: Cell[][];
  csv: string;
  draw?: (canvas: HTMLCanvasElement) => Chart;
  /** Drawn instead of a canvas (the route heat table). */
  figure?: HTMLElement;
  wide?: boolean;
}

function save(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const fmt = (n: Cell) => (typeof n === 'number' ? n.toLocaleString('en') : (n ?? '—'));

function panel(spec: PanelSpec, f: DashboardFilter, charts: (() => Chart)[]): HTMLElement {
  const tableId = `${spec.id}-table`;
  const rows = spec.rows.map((r) =>
    h(
      'tr',
      null,
      r.map((c, i) =>
        i === 0 ? h('th', { scope: 'row' }, fmt(c)) : h('td', { class: typeof c === 'number' ? 'num' : null }, fmt(c)),
      ),
    ),
  );
  const tableView = h(
    'div',
    { class: 'table-view', id: tableId, hidden: true },
    rows.length ? table(spec.title, spec.headers, rows) : h('p', { class: 'muted' }, 'Nothing in this period.'),
  );
  let chartView: HTMLElement;
  if (spec.figure) {
    chartView = h('div', { class: 'chart-view' }, spec.figure);
  } else {
    const canvas = h('canvas', { role: 'img', 'aria-label': `${spec.title}: ${spec.summary}` });
    chartView = h('div', { class: 'chart-view chart-box' }, canvas);
    if (spec.draw && spec.rows.length) charts.push(() => spec.draw!(canvas));
    else replace(chartView, h('p', { class: 'muted' }, 'Nothing in this period.'));
  }
  const toggle = h('button', { type: 'button', 'aria-pressed': 'false', 'aria-controls': tableId }, 'Table view');
  toggle.addEventListener('click', () => {
    const showTable = toggle.getAttribute('aria-pressed') !== 'true';
    toggle.setAttribute('aria-pressed', String(showTable));
    tableView.hidden = !showTable;
    chartView.hidden = showTable;
  });
  const download = h('button', { type: 'button', onclick: () => save(spec.csv, fileName(spec.id, f)) }, 'Download CSV');
  return h(
    'section',
    { class: `card panel${spec.wide ? ' wide' : ''}`, id: spec.id, 'aria-labelledby': `${spec.id}-title` },
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { id: `${spec.id}-title` }, spec.title),
      h('div', { class: 'panel-tools' }, toggle, download),
    ),
    h('p', { class: 'panel-summary muted' }, spec.summary),
    chartView,
    tableView,
  );
}

function filters(f: DashboardFilter & { preset: Preset }): HTMLElement {
  const period = select(
    'period',
    PRESETS.map(([v, l]) => [v, l]),
    f.preset,
  );
  const from = h('input', { type: 'date', name: 'from', value: f.from, required: true });
  const to = h('input', { type: 'date', name: 'to', value: f.to, required: true });
  const organization = h('input', {
    name: 'organization',
    value: f.organization,
    autocomplete: 'off',
    maxlength: 200,
    placeholder: 'all',
  });
  const interval = select(
    'interval',
    [
      ['day', 'Day'],
      ['week', 'Week'],
    ],
    f.interval,
  );
  period.addEventListener('change', () => {
    if (period.value === 'custom') return;
    const r = presetRange(period.value as Preset);
    from.value = r.from;
    to.value = r.to;
  });
  for (const input of [from, to])
    input.addEventListener('change', () => {
      period.value = 'custom';
    });
  const form = h(
    'form',
    { class: 'filters card', 'aria-label': 'Dashboard filters' },
    field('Period', period),
    field('From (UTC day)', from),
    field('To (UTC day)', to),
    field('Organisation', organization, 'Empty: every organisation'),
    field('Outcomes per', interval),
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
    h('button', { type: 'button', onclick: () => window.print() }, 'Print report'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const custom = period.value === 'custom';
    location.hash = href('dashboard', {
      period: period.value,
      from: custom ? from.value : undefined,
      to: custom ? to.value : undefined,
      organization: organization.value.trim() || undefined,
      interval: interval.value === 'week' ? 'week' : undefined,
    });
  });
  return form;
}

function heatTable(items: ReexportItem[]): HTMLElement {
  const m = routeMatrix(items);
  if (!m.origins.length) return h('p', { class: 'muted' }, 'Nothing in this period.');
  return h(
    'table',
    { class: 'data heat' },
    h(
      'caption',
      { class: 'visually-hidden' },
      'Route matrix: controlled lines by origin (rows) and destination (columns)',
    ),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'Origin \\ destination'),
        m.destinations.map((d) => h('th', { scope: 'col', class: 'num' }, d)),
        h('th', { scope: 'col', class: 'num' }, 'Total'),
      ),
    ),
    h(
      'tbody',
      null,
      m.origins.map((o) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, o),
          m.destinations.map((d) => {
            const v = m.cells.get(`${o}>${d}`) ?? 0;
            return h('td', { class: `num heat-${heatLevel(v, m.max)}` }, v ? v.toLocaleString('en') : '');
          }),
          h('td', { class: 'num total' }, (m.rowTotals.get(o) ?? 0).toLocaleString('en')),
        ),
      ),
    ),
  );
}

export async function renderDashboard(ctx: PageContext): Promise<void> {
  const f = filterFromQuery(ctx.route.query);
  const q = { from: f.from, to: f.to, organization: f.organization || undefined };
  const get = <T>(path: string, extra: Record<string, string | number> = {}) =>
    getJson<T>(path, { ...q, ...extra }, ctx.signal);
  const [outcomes, entries, chapters, reexport, cases, lists] = await Promise.all([
    get<{ series: OutcomePoint[] }>('/v1/stats/outcomes', { interval: f.interval }),
    get<{ items: HitItem[] }>('/v1/stats/hits', { by: 'entry', limit: 10 }),
    get<{ items: HitItem[] }>('/v1/stats/hits', { by: 'hsChapter', limit: 10 }),
    get<{ items: ReexportItem[] }>('/v1/stats/reexport'),
    get<CasesStats>('/v1/stats/cases'),
    getJson<{ items: { listId: string; name: string; activatedAt: string | null; ageHours: number | null }[] }>(
      '/v1/stats/lists',
      undefined,
      ctx.signal,
    ),
  ]);

  const total = outcomes.series.reduce(
    (n, s) => ({ clear: n.clear + s.clear, review: n.review + s.review, block: n.block + s.block }),
    { clear: 0, review: 0, block: 0 },
  );
  const reexportLines = reexport.items.reduce((n, i) => n + i.lines, 0);
  const kpi = (label: string, value: Cell, kind = '') =>
    h(
      'div',
      { class: `kpi ${kind}` },
      h('span', { class: 'kpi-value' }, fmt(value)),
      h('span', { class: 'kpi-label' }, label),
    );
  const short = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);
  const charts: (() => Chart)[] = [];
  const drawn: Chart[] = [];

  const panels: PanelSpec[] = [
    {
      id: 'outcomes',
      title: 'Outcomes over time',
      wide: true,
      summary: `${total.clear + total.review + total.block} declarations: ${total.clear} clear, ${total.review} review, ${total.block} block, per ${f.interval}.`,
      headers: ['Period', 'Clear', 'Review', 'Block'],
      rows: outcomes.series.map((s) => [s.period, s.clear, s.review, s.block]),
      csv: toCsv(
        ['period', 'clear', 'review', 'block'],
        outcomes.series.map((s) => [s.period, s.clear, s.review, s.block]),
      ),
      draw: (c) =>
        barChart(
          c,
          outcomes.series.map((s) => s.period),
          [
            { label: 'Clear', data: outcomes.series.map((s) => s.clear), color: COLORS.clear },
            { label: 'Review', data: outcomes.series.map((s) => s.review), color: COLORS.review },
            { label: 'Block', data: outcomes.series.map((s) => s.block), color: COLORS.block },
          ],
          { stacked: true },
        ),
    },
    {
      id: 'entries',
      title: 'Top hit list entries',
      summary: entries.items.length ? `Most hits: ${entries.items[0].label} (${entries.items[0].count}).` : 'No hits.',
      headers: ['Entry', 'Name', 'Hits', 'False positives', 'False-positive rate'],
      rows: entries.items.map((i) => [
        i.key,
        i.label,
        i.count,
        i.falsePositives ?? 0,
        i.falsePositiveRate === null || i.falsePositiveRate === undefined
          ? null
          : `${Math.round(i.falsePositiveRate * 100)}%`,
      ]),
      csv: toCsv(
        ['key', 'label', 'count', 'falsePositives', 'falsePositiveRate'],
        entries.items.map((i) => [i.key, i.label, i.count, i.falsePositives, i.falsePositiveRate]),
      ),
      draw: (c) =>
        barChart(
          c,
          entries.items.map((i) => short(i.label)),
          [{ label: 'Hits', data: entries.items.map((i) => i.count), color: COLORS.accent }],
          { horizontal: true },
        ),
    },
    {
      id: 'chapters',
      title: 'Controlled lines by HS chapter',
      summary: chapters.items.length
        ? `Most controlled lines: chapter ${chapters.items[0].key} (${chapters.items[0].count}).`
        : 'No controlled lines.',
      headers: ['Chapter', 'Description', 'Lines'],
      rows: chapters.items.map((i) => [i.key, i.label, i.count]),
      csv: toCsv(
        ['chapter', 'label', 'lines'],
        chapters.items.map((i) => [i.key, i.label, i.count]),
      ),
      draw: (c) =>
        barChart(
          c,
          chapters.items.map((i) => `${i.key} ${short(i.label)}`),
          [{ label: 'Lines', data: chapters.items.map((i) => i.count), color: COLORS.accent }],
          { horizontal: true },
        ),
    },
    {
      id: 'routes',
      title: 'Re-export routes (origin × destination)',
      wide: true,
      summary: `${reexportLines} controlled lines made in countries that ban their export to Russia, declared for export or transit.`,
      headers: ['Origin', 'Destination', 'Lines', 'Value', 'Currency'],
      rows: reexport.items.map((i) => [i.originCountry, i.destinationCountry, i.lines, i.value, i.currency]),
      csv: toCsv(
        ['originCountry', 'destinationCountry', 'lines', 'value', 'currency'],
        reexport.items.map((i) => [i.originCountry, i.destinationCountry, i.lines, i.value, i.currency]),
      ),
      figure: heatTable(reexport.items),
    },
    {
      id: 'aging',
      title: 'Case aging and SLA',
      summary: `${cases.open} open cases, ${cases.overdue} past their SLA deadline.`,
      headers: ['Age', 'Open cases'],
      rows: cases.ageBuckets.map((b) => [b.bucket, b.count]),
      csv: toCsv(
        ['section', 'key', 'value'],
        [
          ['open', '', cases.open],
          ['overdue', '', cases.overdue],
          ...cases.ageBuckets.map((b) => ['ageBucket', b.bucket, b.count]),
        ],
      ),
      draw: (c) =>
        barChart(
          c,
          cases.ageBuckets.map((b) => b.bucket),
          [{ label: 'Open cases', data: cases.ageBuckets.map((b) => b.count), color: COLORS.review }],
        ),
    },
    {
      id: 'throughput',
      title: 'Reviewer throughput',
      summary: `Decisions in the period by person; time to decision p50 ${fmt(cases.decisionMinutes.p50)} min, p90 ${fmt(cases.decisionMinutes.p90)} min.`,
      headers: ['Person', 'Decisions'],
      rows: cases.byPerson.map((p) => [p.person, p.decisions]),
      csv: toCsv(
        ['person', 'keyIds', 'decisions'],
        cases.byPerson.map((p) => [p.person, p.keyIds.join(' '), p.decisions]),
      ),
      draw: (c) =>
        barChart(
          c,
          cases.byPerson.map((p) => short(p.person)),
          [{ label: 'Decisions', data: cases.byPerson.map((p) => p.decisions), color: COLORS.accent }],
          { horizontal: true },
        ),
    },
  ];

  const listAges = h(
    'section',
    { class: 'card panel wide', 'aria-labelledby': 'lists-age-title' },
    h('h2', { id: 'lists-age-title' }, 'Active lists and their age'),
    table(
      'Active lists and their age',
      ['List', 'Name', 'Active since', 'Age'],
      lists.items.map((l) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, l.listId),
          h('td', null, l.name),
          h('td', null, l.activatedAt ? l.activatedAt.slice(0, 16).replace('T', ' ') : '—'),
          h(
            'td',
            { class: 'num' },
            l.ageHours === null ? '—' : l.ageHours < 48 ? `${l.ageHours} h` : `${Math.round(l.ageHours / 24)} d`,
          ),
        ),
      ),
    ),
  );

  replace(
    ctx.main,
    h('h1', { tabindex: -1 }, 'Dashboard'),
    h(
      'p',
      { class: 'report-period' },
      `Screening report ${f.from} to ${f.to} (UTC days)`,
      f.organization ? `, organisation ${f.organization}` : ', all organisations',
    ),
    filters(f),
    h(
      'div',
      { class: 'kpis', role: 'group', 'aria-label': 'Key figures' },
      kpi('Declarations', total.clear + total.review + total.block),
      kpi('Review', total.review, 'kpi-review'),
      kpi('Block', total.block, 'kpi-block'),
      kpi('Re-export lines', reexportLines),
      kpi('Open cases', cases.open),
      kpi('Overdue', cases.overdue, cases.overdue ? 'kpi-block' : ''),
      kpi('Decision p50 (min)', cases.decisionMinutes.p50),
      kpi('Decision p90 (min)', cases.decisionMinutes.p90),
    ),
    h(
      'div',
      { class: 'dash-grid' },
      panels.map((p) => panel(p, f, charts)),
      listAges,
    ),
  );
  // Chart.js measures its container, so the canvases must be in the document first.
  for (const draw of charts) drawn.push(draw());
  const stopPrint = resizeOnPrint(() => drawn);
  ctx.onLeave(() => {
    stopPrint();
    for (const c of drawn) c.destroy();
  });
}
