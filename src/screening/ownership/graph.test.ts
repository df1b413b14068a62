import { OwnershipGraph, type GraphLink, type GraphNode } from './graph';

function graph(links: Omit<GraphLink, 'linkId'>[], listed: string[], threshold = 0.5): OwnershipGraph {
  const nodes = new Map<string, GraphNode>();
  for (const l of links)
    for (const id of [l.fromId, l.toId])
      nodes.set(id, {
        name: `Name ${id}`,
        listed: listed.includes(id),
        programs: listed.includes(id) ? ['RUSSIA-EO14024'] : [],
      });
  return new OwnershipGraph(
    links.map((l, i) => ({ ...l, linkId: `l${i}` })),
    nodes,
    { threshold },
  );
}
const own = (fromId: string, toId: string, percentage?: number): Omit<GraphLink, 'linkId'> => ({
  kind: 'ownership',
  fromId,
  toId,
  percentage,
});

describe('ownership graph resolver', () => {
  it('direct 50% owned by a listed person: owned, one path', () => {
    const g = graph([own('Z', 'A', 50)], ['Z']);
    expect(g.verdict('A')).toMatchObject({
      owned: true,
      share: 0.5,
      paths: [{ share: 0.5, steps: [{ entryId: 'Z', percentage: 50, programs: ['RUSSIA-EO14024'] }] }],
      controls: [],
    });
  });

  it('two listed owners with 25% each add up to 50%', () => {
    const v = graph([own('Y', 'A', 25), own('Z', 'A', 25)], ['Y', 'Z']).verdict('A');
    expect(v).toMatchObject({ owned: true, share: 0.5 });
    expect(v?.paths.map((p) => p.steps[0].entryId).sort()).toEqual(['Y', 'Z']);
  });

  it('a chain multiplies: 60% of A held by B, 90% of B held by Z, is 54%', () => {
    const v = graph([own('B', 'A', 60), own('Z', 'B', 90)], ['Z']).verdict('A');
    expect(v).toMatchObject({ owned: true, share: 0.54 });
    expect(v?.paths[0].steps.map((s) => [s.entryId, s.percentage])).toEqual([
      ['B', 60],
      ['Z', 90],
    ]);
  });

  it('49% is not enough, and an entity nobody listed owns has no verdict', () => {
    const g = graph([own('Z', 'A', 49), own('Q', 'C', 100)], ['Z']);
    expect(g.share('A')).toBe(0.49);
    expect(g.verdict('A')).toBeUndefined();
    expect(g.verdict('C')).toBeUndefined();
    expect(g.verdict('nowhere')).toBeUndefined();
  });

  it('a cycle terminates: A and B own each other, a listed person holds 30% of A', () => {
    const g = graph([own('A', 'B', 50), own('B', 'A', 50), own('Z', 'A', 30)], ['Z']);
    // share(A) = 0.3 + 0.5 * share(B), share(B) = 0.5 * share(A): A = 0.4, B = 0.2.
    expect(g.share('A')).toBeCloseTo(0.4, 4);
    expect(g.share('B')).toBeCloseTo(0.2, 4);
    expect(g.verdict('A')).toBeUndefined();
  });

  it('a cycle of full ownership is capped at 100% and still terminates', () => {
    const g = graph([own('A', 'B', 100), own('B', 'A', 100), own('Z', 'A', 10)], ['Z']);
    expect(g.share('A')).toBe(1);
    expect(g.verdict('B')?.owned).toBe(true);
  });

  it('several records of one owner-asset pair count once, with the largest share', () => {
    expect(graph([own('Z', 'A', 30), own('Z', 'A', 40)], ['Z']).share('A')).toBe(0.4);
  });

  it('unknown percentage, directorship and Linked To are control, not ownership', () => {
    const g = graph(
      [
        own('Z', 'A'),
        { kind: 'directorship', fromId: 'Z', toId: 'B', role: 'CEO' },
        { kind: 'linked-to', fromId: 'Z', toId: 'C' },
      ],
      ['Z'],
    );
    expect(g.verdict('A')).toMatchObject({
      owned: false,
      share: 0,
      controls: [{ kind: 'ownership', entryId: 'Z', because: 'listed', percentageUnknown: true }],
    });
    expect(g.verdict('B')).toMatchObject({ owned: false, controls: [{ kind: 'directorship', role: 'CEO' }] });
    expect(g.verdict('C')?.controls[0]).toMatchObject({ kind: 'linked-to', entryId: 'Z' });
  });

  it('an entity owned 50%+ by listed parties taints what it controls; an unlisted director does not', () => {
    const g = graph(
      [
        own('Z', 'H', 60),
        { kind: 'directorship', fromId: 'H', toId: 'A' },
        { kind: 'directorship', fromId: 'P', toId: 'B' },
      ],
      ['Z'],
    );
    expect(g.verdict('A')?.controls[0]).toMatchObject({ entryId: 'H', because: 'owned' });
    expect(g.verdict('B')).toBeUndefined();
  });

  it('family ties run both ways', () => {
    const g = graph([{ kind: 'family', fromId: 'R', toId: 'Z', role: 'Family member of' }], ['Z']);
    expect(g.verdict('R')?.controls[0]).toMatchObject({ kind: 'family', entryId: 'Z' });
  });

  it('changedEntities names the entities whose verdict moved between versions', () => {
    const before = graph([own('Z', 'A', 40), own('Z', 'B', 60)], ['Z']);
    const after = graph([own('Z', 'A', 55), own('Z', 'B', 60)], ['Z']);
    expect([...OwnershipGraph.changedEntities(before, after)]).toEqual(['A']);
    expect([...OwnershipGraph.changedEntities(undefined, after)].sort()).toEqual(['A', 'B']);
  });
});
