import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityEntry } from '../../domain/list-entry';
import { entityImporter } from './index';
import { ENTITIES, collect, file, importError, text } from './__tests__/support';

const importFtm = entityImporter('ftm-jsonl');
const PARTY = new Set(['Person', 'Company', 'Organization', 'LegalEntity', 'PublicBody', 'Vessel', 'Airplane']);

function partyLines(name: string): number {
  return readFileSync(join(ENTITIES, 'opensanctions', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && PARTY.has((JSON.parse(l) as { schema: string }).schema)).length;
}

describe('ftm-jsonl on the OpenSanctions fixtures', () => {
  let zala: Map<string, EntityEntry>;
  beforeAll(async () => {
    const entries = await collect(
      importFtm({ file: file(join(ENTITIES, 'opensanctions', 'yente_zala_cluster_entities.ftm.json')) }),
    );
    zala = new Map(entries.map((e) => [e.entryId, e]));
  });

  it('imports the party-schema lines and skips Sanction, Ownership, Address and the like', async () => {
    const eu = await collect(
      importFtm({ file: file(join(ENTITIES, 'opensanctions', 'yente_t1_eu_fsf_entities.ftm.json')) }),
    );
    expect(partyLines('yente_t1_eu_fsf_entities.ftm.json')).toBe(6);
    expect(eu).toHaveLength(6);
    expect(partyLines('yente_zala_cluster_entities.ftm.json')).toBe(17);
    expect(zala.size).toBe(17);
  });

  it('reads LLC CST / ZALA Aero: names, weak aliases, INN, OGRN, programmes', () => {
    const cst = zala.get('NK-abdzbEBkqyT29GyREbiURZ');
    expect(cst?.kind).toBe('organization');
    expect(cst?.names).toEqual(
      expect.arrayContaining([
        'Общество с ограниченной ответственностью "ЦСТ"',
        'ZALA AERO GROUP—Unmanned Systems',
        'CST',
      ]),
    );
    expect(cst?.weakNames).toEqual(['TsST LLC', 'CST, OOO', 'OOO TSST', 'CST LLC', 'CST', 'TsST, OOO', 'ZALA']);
    expect(cst?.countries).toEqual(['RU']);
    expect(cst?.programs).toContain('EU-UKR');
    expect(cst?.identifiers).toEqual(
      expect.arrayContaining([
        { type: 'INN', value: '1841015504', country: 'RU', label: 'innCode' },
        { type: 'OGRN', value: '1101841007938', country: 'RU', label: 'ogrnCode' },
      ]),
    );
  });

  it('merges a tax number given as innCode, taxNumber and "TIN: ..." idNumber into one INN', () => {
    const person = zala.get('NK-DQ98GPMgdVH8DSZd8g9Xtc');
    expect(person).toMatchObject({ kind: 'person', countries: ['GB', 'RU'], birthDates: ['1964-03-18'] });
    expect(person?.identifiers).toEqual([{ type: 'INN', value: '183111242572', country: 'RU', label: 'innCode' }]);
  });

  it('uses topics as programmes when an entity has no programme', async () => {
    const [first] = await collect(
      importFtm({ file: file(join(ENTITIES, 'opensanctions', 'yente_t1_eu_fsf_entities.ftm.json')) }),
    );
    expect(first).toMatchObject({ kind: 'organization', programs: ['sanction'], countries: ['BY'] });
    expect(first.names).toContain('Таварыства з абмежаванай адказнасцю “Інтэр Табак”');
  });
});

describe('ftm-jsonl malformed input', () => {
  const person = '{"id":"p1","schema":"Person","properties":{"name":["A B"],"passportNumber":["X 1"]}}';
  it('fails on an invalid JSON line with its number', async () => {
    const err = await importError(importFtm({ file: text(`${person}\n\n{"id": "x", "schema":\n`) }));
    expect(err).toMatchObject({ part: 'file', line: 3 });
    expect(err.message).toMatch(/invalid JSON/);
  });
  it('fails on lines that are not entities, and on parties without a name', async () => {
    expect((await importError(importFtm({ file: text(`${person}\n[1,2]\n`) }))).line).toBe(2);
    expect(
      (await importError(importFtm({ file: text('{"id":"p","schema":"Person","properties":{}}') }))).message,
    ).toMatch(/has no name/);
    expect(
      (await importError(importFtm({ file: text('{"id":"s","schema":"Sanction","properties":{}}\n') }))).message,
    ).toMatch(/no entries/);
  });
  it('accepts CRLF and a missing final newline', async () => {
    const entries = await collect(importFtm({ file: text(`${person}\r\n${person.replace('p1', 'p2')}`) }));
    expect(entries.map((e) => e.entryId)).toEqual(['p1', 'p2']);
    expect(entries[0].identifiers).toEqual([{ type: 'PASSPORT', value: 'X1', label: 'passportNumber' }]);
  });
});
