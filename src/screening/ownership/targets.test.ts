import { join } from 'node:path';
import { entityImporter } from '../../lists/importers';
import { ENTITIES, collect, file } from '../../lists/importers/__tests__/support';
import { DEFAULT_TARGET_TOPICS } from '../ruleset';
import { buildListGraph } from './list-graph';
import { isListTarget, targetSeverity } from './targets';

describe('targets and context', () => {
  it('splits the OpenSanctions ZALA cluster by topics: the three register companies are context, the rest targets', async () => {
    const entries = await collect(
      entityImporter('ftm-jsonl')({
        file: file(join(ENTITIES, 'opensanctions', 'yente_zala_cluster_entities.ftm.json')),
      }),
    );
    const context = entries
      .filter((e) => !isListTarget(e, DEFAULT_TARGET_TOPICS))
      .map((e) => e.entryId)
      .sort();
    expect(context).toEqual(['NK-56Edov9bas9puzaChH5pBy', 'NK-9Xa4Kg7Y7nfccE7VcZt6Q6', 'ru-inn-5920040846']);
    const sps = entries.find((e) => e.entryId === 'NK-9Xa4Kg7Y7nfccE7VcZt6Q6')!;
    expect(sps.topics).toEqual([]);
    expect(
      targetSeverity(
        entries.find((e) => e.entryId === 'NK-SiYwWfxwLVrVeFswsvAvsm')!,
        DEFAULT_TARGET_TOPICS,
      ),
    ).toBe('high'); // sanction.linked
    const parts = buildListGraph(entries, [], { targetTopics: DEFAULT_TARGET_TOPICS, threshold: 0.5 });
    expect([...parts.context!].sort()).toEqual(context);
    expect(parts.graph).toBeUndefined();
  });

  it('entries of sources without topics are all targets, of the highest severity', () => {
    expect(isListTarget({}, DEFAULT_TARGET_TOPICS)).toBe(true);
    expect(targetSeverity({}, DEFAULT_TARGET_TOPICS)).toBe('critical');
    expect(isListTarget({ topics: ['poi', 'role.pep'] }, DEFAULT_TARGET_TOPICS)).toBe(false);
  });
});
