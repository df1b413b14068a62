import type { EntityEntry } from '../../domain/list-entry';
import { buildIndexData, buildIndexDataSliced } from './index-builder';
import { EntityListIndex, PartyMatcher } from './index';

const GIVEN = ['Dmitry', 'Aleksandr', 'Mariya', 'Ivan', 'Olga', 'Mohammed', 'Ali', 'Yusuf', 'Aigerim', 'Nursultan'];
const SURNAMES = ['Khoroshev', 'Zakharov', 'Petrov', 'Hassan', 'Sadykova', 'Omarov', 'Volkova', 'Abenov'];

/** A deterministic list big enough to need many slices (tens of thousands of names). */
function entries(count: number): EntityEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    entryId: `E${i}`,
    kind: 'person' as const,
    names: [
      `${GIVEN[i % GIVEN.length]} ${SURNAMES[(i * 7) % SURNAMES.length]} ${i.toString(36)}`,
      `${SURNAMES[i % SURNAMES.length].toUpperCase()}, ${GIVEN[(i * 3) % GIVEN.length]}`,
    ],
    countries: ['RU'],
    programs: ['TEST'],
    identifiers: i % 10 === 0 ? [{ type: 'INN', value: String(7700000000 + i) }] : [],
  }));
}

describe('sliced index build', () => {
  it('builds exactly the index the synchronous build makes', async () => {
    const list = entries(3000);
    expect(await buildIndexDataSliced(list, 1)).toEqual(buildIndexData(list));
  });

  it('lets timers run between slices, and the result screens like the synchronous one', async () => {
    const list = entries(40_000);
    let ticks = 0;
    let longest = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      ticks += 1;
    }, 1);
    const started = performance.now();
    const index = await EntityListIndex.buildSliced('test', 'v1', list, 5);
    const elapsed = performance.now() - started;
    clearInterval(probe);
    // A build of this size takes far longer than one slice; a one-piece build would let no timer fire at all.
    expect(ticks).toBeGreaterThan(3);
    expect(longest).toBeLessThan(elapsed);
    const sliced = new PartyMatcher();
    sliced.setList(index);
    const whole = new PartyMatcher();
    whole.setList(EntityListIndex.build('test', 'v1', list));
    for (const name of ['Dmitry Khoroshev 0', 'ZAKHAROV, Ivan', 'Olga Volkova 9a']) {
      expect(sliced.screen({ name })).toEqual(whole.screen({ name }));
    }
  });
});
