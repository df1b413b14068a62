import { h } from '../dom';
import { score } from '../format';
import { alignTokens, highlightWords, type TokenView } from '../tokens';
import type { Identifier, PartyEvidence } from '../types';

function tokenChip(t: TokenView): HTMLElement {
  if (t.pair === null)
    return h(
      'span',
      { class: 'tok tok-miss', title: 'no counterpart' },
      t.text,
      h('span', { class: 'visually-hidden' }, ' (unmatched)'),
    );
  const exact = t.similarity >= 0.999;
  return h(
    'mark',
    {
      class: exact ? 'tok tok-exact' : 'tok tok-close',
      title: `pair ${t.pair}: ${t.other ?? ''} (${t.note}, ${t.similarity.toFixed(2)})`,
    },
    t.text,
    h('sup', { 'aria-hidden': 'true' }, t.pair),
    h('span', { class: 'visually-hidden' }, ` (matches ${t.other ?? ''}, ${t.note}, ${t.similarity.toFixed(2)})`),
  );
}

function writtenName(name: string, matched: Set<string>): HTMLElement {
  return h(
    'span',
    { class: 'name' },
    highlightWords(name, matched).map((s) => (s.match ? h('mark', null, s.text) : s.text)),
  );
}

function ids(list: Identifier[] | undefined): HTMLElement {
  if (!list?.length) return h('span', { class: 'muted' }, 'none');
  return h(
    'ul',
    { class: 'plain' },
    list.map((i) =>
      h('li', null, `${i.label ?? i.type}: `, h('code', null, i.value), i.country ? ` (${i.country})` : ''),
    ),
  );
}

/** Declared party and list entry side by side, the tokens that met highlighted, then the score's explanation. */
export function partyEvidence(
  e: PartyEvidence,
  listId: string | undefined,
  entryId: string | undefined,
  hitScore: number,
): HTMLElement {
  const m = e.match;
  const align = alignTokens(m.normalizedQuery, m.normalizedList, m.tokens);
  const aliases = e.entry.names.filter((n) => n !== m.listName);
  const compare = h(
    'div',
    { class: 'compare' },
    h(
      'div',
      { class: 'side' },
      h('h4', null, 'Declared'),
      h('p', { class: 'big' }, writtenName(m.queryName, align.matchedQuery)),
      h('p', { class: 'tokens', 'aria-label': 'Compared tokens of the declared name' }, align.query.map(tokenChip)),
      h(
        'dl',
        { class: 'facts small' },
        h('dt', null, 'Country'),
        h('dd', null, e.query.country ?? '—'),
        h('dt', null, 'Identifiers'),
        h('dd', null, ids(e.query.identifiers)),
      ),
    ),
    h(
      'div',
      { class: 'side' },
      h('h4', null, 'List entry'),
      h('p', { class: 'big' }, writtenName(m.listName, align.matchedList)),
      h('p', { class: 'tokens', 'aria-label': 'Compared tokens of the list name' }, align.list.map(tokenChip)),
      h(
        'dl',
        { class: 'facts small' },
        h('dt', null, 'List'),
        h('dd', null, listId ?? '—', entryId ? ` · entry ${entryId}` : ''),
        h('dt', null, 'Programs'),
        h('dd', null, e.entry.programs.join(', ') || '—'),
        h('dt', null, 'Countries'),
        h('dd', null, e.entry.countries.join(', ') || '—'),
        h('dt', null, 'Identifiers'),
        h('dd', null, ids(e.entry.identifiers)),
        aliases.length
          ? [
              h('dt', null, 'Other names'),
              h(
                'dd',
                null,
                aliases.slice(0, 8).join('; '),
                aliases.length > 8 ? ` and ${aliases.length - 8} more` : '',
              ),
            ]
          : null,
      ),
    ),
  );

  const tokenRows = m.tokens.map((t) =>
    h(
      'tr',
      { class: t.note === 'missing' ? 'missing' : null },
      h('td', null, t.queryToken ?? '—'),
      h('td', null, t.listToken ?? '—'),
      h('td', { class: 'num' }, t.similarity.toFixed(2)),
      h('td', null, t.note, t.role ? ` (${t.role})` : ''),
      h('td', { class: 'num' }, t.weight.toFixed(2)),
    ),
  );
  const explanation = h(
    'details',
    { class: 'explain' },
    h('summary', null, `Score ${score(hitScore)}: why`),
    h('p', null, m.summary),
    m.identifier
      ? h(
          'p',
          null,
          `Decided by identifier: ${m.identifier.queryType} ${m.identifier.value} = list ${m.identifier.listType}.`,
        )
      : null,
    m.tokens.length
      ? h(
          'table',
          { class: 'data compact' },
          h('caption', null, 'Token by token'),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['Declared', 'List', 'Similarity', 'Note', 'Weight'].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h('tbody', null, tokenRows),
        )
      : null,
    h(
      'p',
      null,
      `Name score ${score(m.nameScore)}`,
      m.adjustments.length ? '; adjustments: ' : '.',
      m.adjustments.map((a, i) => `${i ? ', ' : ''}${a.reason} ${a.delta >= 0 ? '+' : ''}${a.delta.toFixed(2)}`),
    ),
    m.legalFormsIgnored && (m.legalFormsIgnored.query.length || m.legalFormsIgnored.list.length)
      ? h(
          'p',
          null,
          `Legal forms ignored: ${[...new Set([...m.legalFormsIgnored.query, ...m.legalFormsIgnored.list])].join(', ')}`,
        )
      : null,
  );
  return h('div', { class: 'party-evidence' }, compare, h('p', { class: 'summary' }, m.summary), explanation);
}
