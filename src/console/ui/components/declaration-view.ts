import { badge, h, table } from '../dom';
import { dateTime, humanize, money } from '../format';
import { PARTY_ROLES, type DeclarationBody, type Hit, type Identifier, type Party } from '../types';

function identifiers(list: Identifier[] | undefined): string {
  return (list ?? []).map((i) => `${i.type} ${i.value}`).join(', ') || '—';
}

/** Hits per subject root ("consignee", "items[2]"), so parties and lines can show how many hits they raised. */
function hitsBySubject(hits: Hit[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const hit of hits) {
    if (hit.suppressed) continue;
    const root = hit.subject.replace(/\.(identifiers\[\d+\]|country)$/, '');
    counts.set(root, (counts.get(root) ?? 0) + 1);
  }
  return counts;
}

function hitCount(n: number | undefined): HTMLElement | null {
  return n ? badge(`${n} hit${n > 1 ? 's' : ''}`, 'hitcount') : null;
}

function partyRow(role: string, party: Party, hits: number | undefined): HTMLTableRowElement {
  return h(
    'tr',
    { class: hits ? 'flagged' : null },
    h('th', { scope: 'row' }, humanize(role)),
    h('td', null, party.name, ' ', hitCount(hits)),
    h('td', null, party.country),
    h('td', null, identifiers(party.identifiers)),
    h('td', null, party.address ?? ''),
  );
}

/** The declaration as a reviewer reads it: route, parties, lines; parties and lines with hits are marked. */
export function declarationView(
  d: DeclarationBody,
  hits: Hit[],
  meta: { organization?: string; createdAt?: string } = {},
): HTMLElement {
  const counts = hitsBySubject(hits);
  const route = [d.countryOfDispatch, ...(d.transitCountries ?? []), d.countryOfDestination];
  const parties: HTMLTableRowElement[] = [];
  for (const role of PARTY_ROLES) {
    const party = d[role];
    if (party) parties.push(partyRow(role, party, counts.get(role)));
  }
  d.items.forEach((item, i) => {
    if (item.manufacturer)
      parties.push(
        partyRow(`manufacturer (line ${item.lineNo})`, item.manufacturer, counts.get(`items[${i}].manufacturer`)),
      );
  });
  const lines = d.items.map((item, i) =>
    h(
      'tr',
      { class: counts.get(`items[${i}]`) ? 'flagged' : null },
      h('th', { scope: 'row', class: 'num' }, item.lineNo),
      h('td', null, h('code', null, item.hsCode), ' ', hitCount(counts.get(`items[${i}]`))),
      h('td', null, item.description),
      h('td', null, item.countryOfOrigin),
      h(
        'td',
        { class: 'num' },
        item.quantity !== undefined ? `${item.quantity}${item.unit ? ` ${item.unit}` : ''}` : '—',
      ),
      h('td', { class: 'num' }, money(item.value)),
    ),
  );
  return h(
    'section',
    { class: 'declaration', 'aria-labelledby': 'declaration-title' },
    h('h2', { id: 'declaration-title' }, 'Declaration ', h('span', { class: 'ref' }, d.reference)),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Procedure'),
      h('dd', null, d.procedure),
      meta.organization ? [h('dt', null, 'Organisation'), h('dd', null, meta.organization)] : null,
      meta.createdAt ? [h('dt', null, 'Submitted'), h('dd', null, dateTime(meta.createdAt))] : null,
      h('dt', null, 'Route'),
      h(
        'dd',
        { class: 'route' },
        route.map((c, i) => [
          i ? h('span', { 'aria-hidden': 'true' }, ' → ') : null,
          i ? h('span', { class: 'visually-hidden' }, ' then ') : null,
          h(
            'span',
            {
              class: counts.get(
                i === 0
                  ? 'countryOfDispatch'
                  : i === route.length - 1
                    ? 'countryOfDestination'
                    : `transitCountries[${i - 1}]`,
              )
                ? 'country flagged'
                : 'country',
            },
            c,
          ),
        ]),
      ),
    ),
    h('h3', null, 'Parties'),
    table('Parties', ['Role', 'Name', 'Country', 'Identifiers', 'Address'], parties),
    h('h3', null, 'Lines'),
    table('Lines', ['Line', 'HS code', 'Description', 'Origin', 'Quantity', 'Value'], lines),
  );
}
