import { getJson } from '../api';
import { badge, h, replace } from '../dom';
import { errorMessage } from '../live';
import type { DeclarationItem, Licence, Paged } from '../types';

function balance(l: Licence): string {
  if (!l.balance) return 'unlimited';
  const b = l.balance;
  return `${b.remaining} of ${b.limit} ${b.measure} left (${b.used} used${b.overdrawn ? ', overdrawn' : ''})`;
}

function row(number: string, lines: number[], l: Licence | undefined): HTMLElement {
  const cells = l
    ? [
        h('td', null, badge(l.status.replace(/_/g, ' '), l.status === 'active' ? 'active' : 'licence-problem')),
        h('td', null, `${l.holder.name} (${l.holder.country})`),
        h('td', null, `${l.validFrom} – ${l.validTo}`),
        h('td', null, l.hsPrefixes.join(', ')),
        h('td', null, l.destinationCountries.join(', ')),
        h('td', { class: 'balance' }, balance(l)),
      ]
    : [h('td', { colspan: 6 }, badge('not in the registry', 'licence-problem'))];
  return h(
    'tr',
    { 'data-licence': number },
    h('th', { scope: 'row' }, number),
    h('td', null, lines.join(', ')),
    ...cells,
  );
}

/**
 * The licences the declaration's lines cite, as the registry holds them now (status, scope, balance): one registry
 * read per cited number. The hits say what screening made of them; this says where they stand today.
 */
export function licencesPanel(items: DeclarationItem[], signal?: AbortSignal): HTMLElement | null {
  const cited = new Map<string, number[]>();
  for (const item of items) {
    if (!item.licenceNumber) continue;
    cited.set(item.licenceNumber, [...(cited.get(item.licenceNumber) ?? []), item.lineNo]);
  }
  if (cited.size === 0) return null;
  const body = h('tbody', null, h('tr', null, h('td', { colspan: 8, class: 'muted' }, 'Loading…')));
  const section = h(
    'section',
    { class: 'licences-panel', 'aria-labelledby': 'licences-title' },
    h('h2', { id: 'licences-title' }, `Licences cited (${cited.size})`),
    h(
      'table',
      { class: 'data' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...['Number', 'Lines', 'Status', 'Holder', 'Valid', 'HS prefixes', 'Destinations', 'Balance'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      body,
    ),
  );
  void Promise.all(
    [...cited].map(async ([number, lines]) => {
      const page = await getJson<Paged<Licence>>('/v1/licences', { number, limit: 1 }, signal);
      return row(number, lines, page.items[0]);
    }),
  ).then(
    (rows) => replace(body, ...rows),
    (err: unknown) => {
      if (signal?.aborted) return;
      replace(
        body,
        h('tr', null, h('td', { colspan: 8, class: 'error' }, `Could not read the registry: ${errorMessage(err)}`)),
      );
    },
  );
  return section;
}
