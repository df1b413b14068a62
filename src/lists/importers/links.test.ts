import { join } from 'node:path';
import { ENTITIES, collect, file, text } from './__tests__/support';
import { ftmLinks, linksOf, ofacLinks, ofacNameKey, parsePercentage } from './links';

describe('ownership and control links', () => {
  it('reads Ownership (with and without percentage), Directorship and Family from the OpenSanctions ZALA cluster', async () => {
    const links = await collect(
      ftmLinks(file(join(ENTITIES, 'opensanctions', 'yente_zala_cluster_entities.ftm.json'))()),
    );
    expect(links).toHaveLength(21);
    expect(links.filter((l) => l.kind === 'ownership')).toHaveLength(14);
    expect(links.filter((l) => l.kind === 'directorship')).toHaveLength(3);
    expect(links.filter((l) => l.kind === 'family')).toHaveLength(4);
    expect(links).toContainEqual({
      linkId: 'ru-5528524ef7d9bfc955a598ba8fd2cbe084a549d5',
      kind: 'ownership',
      fromId: 'NK-aU5ybkbRFJucf8YMwsJvDw',
      toId: 'NK-9Xa4Kg7Y7nfccE7VcZt6Q6',
      percentage: 75,
    });
    expect(links.find((l) => l.linkId === 'ru-1d1ded00081c89c36ae77a71f00eb0a868e5313d')?.percentage).toBeUndefined();
    expect(links).toContainEqual(
      expect.objectContaining({
        kind: 'directorship',
        fromId: 'NK-mCEmxFfuhfdjpC8gsxH74o',
        toId: 'NK-abdzbEBkqyT29GyREbiURZ',
        role: 'ГЕНЕРАЛЬНЫЙ ДИРЕКТОР',
      }),
    );
  });

  it('parses percentages as FtM writes them and refuses what is not a share', () => {
    expect([parsePercentage('75'), parsePercentage('12,5 %'), parsePercentage('100.0')]).toEqual([75, 12.5, 100]);
    expect([
      parsePercentage('0'),
      parsePercentage('150'),
      parsePercentage('majority'),
      parsePercentage(undefined),
    ]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('skips links without both ends and self-links', async () => {
    const lines = [
      '{"id":"o1","schema":"Ownership","properties":{"owner":["a"]}}',
      '{"id":"o2","schema":"Ownership","properties":{"owner":["a"],"asset":["a"],"percentage":["50"]}}',
      '{"id":"a1","schema":"UnknownLink","properties":{"subject":["a"],"object":["b"],"role":["partner"]}}',
    ].join('\n');
    expect(await collect(ftmLinks(text(lines)()))).toEqual([
      { linkId: 'a1', kind: 'unknown-link', fromId: 'a', toId: 'b', role: 'partner' },
    ]);
  });

  it('resolves OFAC "Linked To:" remarks to the entry of that name in the same file', async () => {
    const links = await collect(ofacLinks({ sdn: file(join(ENTITIES, 'ofac-sdn-2019', 'sdn.csv')) }));
    expect(links.length).toBeGreaterThan(500);
    for (const l of links)
      expect(l).toMatchObject({
        kind: 'linked-to',
        fromId: expect.stringMatching(/^\d+$/),
        toId: expect.stringMatching(/^\d+$/),
      });
    const sdn = [
      '10,"ALPHA HOLDING LTD.",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
      '11,"BETA TRADING",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Registration Number 123456; Linked To: ALPHA HOLDING LTD.; Linked To: NOT IN THIS FILE."',
    ].join('\n');
    expect(await collect(ofacLinks({ sdn: text(sdn) }))).toEqual([
      { linkId: 'linked-to:10:11', kind: 'linked-to', fromId: '10', toId: '11', role: 'Linked To: ALPHA HOLDING LTD' },
    ]);
    expect(ofacNameKey("D'S SUPERMARKET COMPANY LTD.")).toBe(ofacNameKey("D'S SUPERMARKET COMPANY LTD"));
  });

  it('formats without a graph yield nothing', () => {
    expect(linksOf('un-xml', { file: text('<x/>') })).toBeUndefined();
  });
});
