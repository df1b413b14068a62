import { badge, h } from '../dom';
import { score } from '../format';
import { subjectLabel } from '../tokens';
import type { GoodsEvidence, Hit, PartyEvidence } from '../types';
import { partyEvidence } from './party-hit';

const KIND_ORDER: Record<string, number> = { party: 0, goods: 1, route: 2, indicator: 3 };
const SEVERITY_ORDER: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Party hits first (best score first), then goods, route and indicators, each by severity. */
export function sortHits(hits: Hit[]): Hit[] {
  return [...hits].sort(
    (a, b) =>
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      b.score - a.score,
  );
}

function isPartyEvidence(e: Record<string, unknown> | undefined): e is Record<string, unknown> & PartyEvidence {
  return !!e && typeof e.match === 'object' && e.match !== null && typeof e.entry === 'object' && e.entry !== null;
}

function goodsEvidence(hit: Hit, e: GoodsEvidence): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    h('dt', null, 'HS code'),
    h('dd', null, h('code', null, e.hsCode)),
    h('dt', null, 'List entry'),
    h('dd', null, h('code', null, e.prefix), ` ${e.label}`),
    h('dt', null, 'List'),
    h('dd', null, hit.listId ?? '—', e.source ? ` · ${e.source}` : ''),
    h('dt', null, 'Tier / severity'),
    h('dd', null, e.severity),
    e.description ? [h('dt', null, 'Declared as'), h('dd', null, e.description)] : null,
    e.licence ? [h('dt', null, 'Licence'), h('dd', null, licenceBadge(e.licence))] : null,
  );
}

/** The licence status of a goods hit's line: licensed (with what is left after it), or the problem with the cited licence. */
export function licenceBadge(l: NonNullable<GoodsEvidence['licence']>): HTMLElement {
  if (l.status === 'licensed') {
    const left =
      typeof l.remainingAfter === 'number' ? ` (${l.remainingAfter} ${l.measure ?? ''} left after this line)` : '';
    return h('span', { class: 'licence-status licensed' }, badge('licensed', 'licensed'), ` ${l.number}${left}`);
  }
  const problem = l.status.replace(/_/g, ' ') + (l.scope ? `: ${l.scope}` : '');
  return h(
    'span',
    { class: 'licence-status licence-problem' },
    badge(`licence ${problem}`, 'licence-problem'),
    ` ${l.number}`,
  );
}

export interface HitOptions {
  /** Declared line numbers by item index, to name "line 20" rather than "items[1]". */
  lineNos: number[];
  /** When set, each hit gets a "false positive" checkbox with this name. */
  falsePositiveName?: string;
}

export function hitCard(hit: Hit, options: HitOptions): HTMLElement {
  const titleId = `hit-${hit.id}`;
  const subject = subjectLabel(hit.subject, options.lineNos);
  const evidence = hit.evidence;
  let body: HTMLElement;
  if (hit.kind === 'party' && isPartyEvidence(evidence))
    body = partyEvidence(evidence, hit.listId, hit.entryId, hit.score);
  else if (hit.kind === 'goods' && evidence && typeof evidence.prefix === 'string')
    body = h(
      'div',
      null,
      goodsEvidence(hit, evidence as unknown as GoodsEvidence),
      h('p', { class: 'summary' }, hit.explanation),
    );
  else body = h('p', { class: 'summary' }, hit.explanation);
  const fp =
    options.falsePositiveName && !hit.suppressed && hit.kind === 'party'
      ? h(
          'p',
          { class: 'fp' },
          h(
            'label',
            null,
            h('input', { type: 'checkbox', name: options.falsePositiveName, value: hit.id }),
            ' False positive: not this entry (remembered for later screenings)',
          ),
        )
      : null;
  return h(
    'article',
    {
      class: `hit hit-${hit.kind} sev-${hit.severity}${hit.suppressed ? ' suppressed' : ''}`,
      'aria-labelledby': titleId,
      'data-hit-id': hit.id,
    },
    h(
      'header',
      null,
      h(
        'h3',
        { id: titleId },
        `${hit.kind === 'party' ? 'Party' : hit.kind === 'goods' ? 'Goods' : hit.kind === 'route' ? 'Route' : 'Indicator'}: ${subject}`,
        hit.matched ? h('span', { class: 'matched' }, ` · ${hit.matched}`) : null,
      ),
      h(
        'span',
        { class: 'tags' },
        badge(hit.severity, hit.severity),
        hit.kind === 'party' ? badge(`score ${score(hit.score)}`, 'score') : null,
        hit.suppressed ? badge('suppressed (false positive)', 'suppressed') : null,
      ),
    ),
    body,
    fp,
  );
}

export function hitList(hits: Hit[], options: HitOptions): HTMLElement {
  const sorted = sortHits(hits);
  if (sorted.length === 0) return h('p', { class: 'muted' }, 'No hits.');
  return h(
    'div',
    { class: 'hits' },
    sorted.map((hit) => hitCard(hit, options)),
  );
}
