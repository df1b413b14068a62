import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoadedLists } from '../loaded-lists';
import { decide } from '../declaration-screening';
import { EntityListIndex } from '../matching';
import { parseRuleset, loadRuleset } from '../ruleset';
import { buildListGraph } from './list-graph';
import { ownershipHit } from './ownership-hits';
import type { EntityEntry } from '../../domain/list-entry';

const entries: EntityEntry[] = [
  {
    entryId: 'z',
    kind: 'person',
    names: ['Zinovy Listedov'],
    countries: [],
    programs: ['SYN'],
    identifiers: [],
    topics: ['sanction'],
  },
  {
    entryId: 'a',
    kind: 'organization',
    names: ['Owned Front Trading LLC'],
    countries: [],
    programs: [],
    identifiers: [],
    topics: [],
  },
  {
    entryId: 'b',
    kind: 'organization',
    names: ['Directed Front Trading LLC'],
    countries: [],
    programs: [],
    identifiers: [],
    topics: [],
  },
];
const links = [
  { linkId: 'o', kind: 'ownership' as const, fromId: 'z', toId: 'a', percentage: 80 },
  { linkId: 'd', kind: 'directorship' as const, fromId: 'z', toId: 'b' },
];

function screen(name: string, ruleset = loadRuleset()) {
  const parts = buildListGraph(entries, links, {
    targetTopics: ruleset.targetTopics,
    threshold: ruleset.ownership.threshold,
  });
  const lists = new LoadedLists(
    1,
    new Map([
      [
        'syn',
        { kind: 'entities' as const, versionId: 'v', entities: EntityListIndex.build('syn', 'v', entries), ...parts },
      ],
    ]),
  );
  const [m] = lists.matcher.screen({ name }, { minScore: ruleset.partyBands.review });
  const hit = ownershipHit(
    'consignee',
    { name, country: 'RU' } as never,
    m,
    lists.ownership('syn', m.entryId)!,
    lists,
    ruleset,
  );
  return { hit, outcome: decide([hit], ruleset).outcome };
}

describe('owned-or-controlled hits and the outcome', () => {
  it('owned 80% with a strong match blocks under the shipped rule set', () => {
    const { hit, outcome } = screen('Owned Front Trading LLC');
    expect(hit).toMatchObject({
      kind: 'party',
      severity: 'critical',
      evidence: { rule: 'owned-or-controlled', basis: 'owned', blocking: true },
    });
    expect(outcome).toBe('BLOCK');
  });

  it('a rule set with ownedOutcome REVIEW only reviews the same entity, at most high', () => {
    const shipped = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'config', 'ruleset.json'), 'utf8'));
    const reviewOnly = parseRuleset(
      JSON.stringify({ ...shipped, ownership: { ...shipped.ownership, ownedOutcome: 'REVIEW' } }),
    );
    const { hit, outcome } = screen('Owned Front Trading LLC', reviewOnly);
    expect(hit).toMatchObject({ severity: 'high', evidence: { basis: 'owned', blocking: false } });
    expect(outcome).toBe('REVIEW');
  });

  it('a directorship is a REVIEW-level "run by" hit even on an exact match', () => {
    const { hit, outcome } = screen('Directed Front Trading LLC');
    expect(hit.score).toBeGreaterThanOrEqual(0.95);
    expect(hit).toMatchObject({ severity: 'medium', evidence: { basis: 'controlled', blocking: false } });
    expect(hit.explanation).toContain('run by Zinovy Listedov (listed on syn: SYN)');
    expect(outcome).toBe('REVIEW');
  });
});
