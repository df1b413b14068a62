/**
 * Lists with posting lists above LARGE_POSTING (OpenSanctions scale: a common given name held by thousands of names).
 * There a common token only boosts the names its query's rarer tokens found, by one pass over its posting list that
 * tests each name against the touched names' bitmap.
 */
import type { EntityEntry } from '../../domain/list-entry';
import { EntityListIndex, PartyMatcher } from './index';

function person(entryId: string, name: string): EntityEntry {
  return { entryId, kind: 'person', names: [name], countries: [], programs: ['TEST'], identifiers: [] };
}

/**
 * 2,500 "Zyxqor Ali" (a rare-ish surname beside a very common given name), 9,500 more "Ali Bekov", 6,000 "Mohamed
 * Bekov" and, last, the one "Zyxqor Mohamed". Ranked on "Zyxqor" alone, every "Zyxqor Ali" comes before him (Ali is
 * commoner than Mohamed, so those names weigh less); only the boost of Mohamed's 6,001 postings lifts him to the top.
 */
function list(): EntityEntry[] {
  const entries: EntityEntry[] = [];
  for (let i = 0; i < 2500; i++) entries.push(person(`za${i}`, 'Zyxqor Ali'));
  for (let i = 0; i < 9500; i++) entries.push(person(`ab${i}`, 'Ali Bekov'));
  for (let i = 0; i < 6000; i++) entries.push(person(`mb${i}`, 'Mohamed Bekov'));
  entries.push(person('target', 'Zyxqor Mohamed'));
  return entries;
}

describe('candidates on a list with large posting lists', () => {
  const matcher = new PartyMatcher();
  beforeAll(() => matcher.setList(EntityListIndex.build('large', '1', list())));

  it('lifts a name found through a rarer token by its common token', () => {
    expect(matcher.screen({ name: 'Zyxqor Mohamed' })[0]).toMatchObject({ entryId: 'target', score: 1 });
  });

  it('finds the names holding both tokens when both are common, in either order', () => {
    expect(matcher.screen({ name: 'Mohamed Bekov' })[0]).toMatchObject({ matchedName: 'Mohamed Bekov', score: 1 });
    expect(matcher.screen({ name: 'Bekov Ali' })[0]).toMatchObject({ matchedName: 'Ali Bekov', score: 1 });
  });

  it('leaves nothing of one query in the next (each touches other names through the bitmap)', () => {
    for (let round = 0; round < 3; round++) {
      expect(matcher.screen({ name: 'Mohamed Bekov' })[0]).toMatchObject({ matchedName: 'Mohamed Bekov', score: 1 });
      expect(matcher.screen({ name: 'Zyxqor Mohamed' })[0]).toMatchObject({ entryId: 'target', score: 1 });
      expect(matcher.screen({ name: 'Zyxqor Ali' })[0]).toMatchObject({ matchedName: 'Zyxqor Ali', score: 1 });
    }
  });
});
