import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { EntityEntry } from '../../domain/list-entry';
import { cslListName } from './csl-csv';
import { entityImporter } from './index';
import { ENTITIES, collect, file, importError, text } from './__tests__/support';

const importCsl = entityImporter('csl-csv');
const csl = (name: string): string => join(ENTITIES, 'csl', name);

function dataRows(path: string, delimiter = ','): number {
  return (parse(readFileSync(path), { delimiter, relax_quotes: true }) as string[][]).length - 1;
}

async function load(name: string): Promise<Map<string, EntityEntry>> {
  const entries = await collect(importCsl({ file: file(csl(name)) }));
  const byId = new Map(entries.map((e) => [e.entryId, e]));
  expect(byId.size).toBe(entries.length); // ids are unique, also the generated ones
  return byId;
}

describe('csl-csv on the 2019 export (no _id column)', () => {
  let byId: Map<string, EntityEntry>;
  beforeAll(async () => {
    byId = await load('csl_2019.csv');
  });

  it('imports one entry per row', () => {
    expect(dataRows(csl('csl_2019.csv'))).toBe(115);
    expect(byId.size).toBe(115);
  });

  it('reads "value, label" ids and infers OGRN/INN for a Russian entity (ACHIM DEVELOPMENT)', () => {
    const e = byId.get('19692');
    expect(e).toMatchObject({
      kind: 'organization',
      countries: ['RU'],
      programs: ['UKRAINE-EO13662', 'Sectoral Sanctions Identifications List'],
    });
    expect(e?.names).toContain("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU 'ACHIM DEVELOPMENT'");
    expect(e?.identifiers).toEqual([
      { type: 'OGRN', value: '1148904001971', country: 'RU', label: 'Registration ID' },
      { type: 'REGISTRATION', value: '32131525', label: 'Government Gazette Number' },
      { type: 'INN', value: '8904075533', country: 'RU', label: 'Tax ID No.' },
    ]);
  });

  it('reads a leading country and a vessel IMO', () => {
    expect(byId.get('20264')?.identifiers).toEqual([
      { type: 'TAX_ID', value: '800890696', country: 'US', label: 'Tax ID No.' },
    ]);
    expect(byId.get('23156')).toMatchObject({ kind: 'vessel', countries: ['KP'] });
    expect(byId.get('23156')?.identifiers).toEqual([
      { type: 'IMO', value: '8898831', label: 'Vessel Registration Identification' },
    ]);
  });

  it('gives rows without entity_number a stable generated id', async () => {
    const generated = [...byId.keys()].filter((id) => id.startsWith('csl-'));
    expect(generated).toHaveLength(47);
    const again = await load('csl_2019.csv');
    expect(generated.every((id) => again.has(id))).toBe(true);
  });
});

describe('csl-csv on the newer sample (with _id)', () => {
  let entries: EntityEntry[];
  beforeAll(async () => {
    entries = [...(await load('csl_us_consolidated_sample.csv')).values()];
  });

  it('imports the 13 rows, using _id as entry id', () => {
    expect(dataRows(csl('csl_us_consolidated_sample.csv'))).toBe(13);
    expect(entries).toHaveLength(13);
    expect(entries[0].entryId).toBe('233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b');
  });

  it('reads "label, value, country" ids, alt_names, nationalities and birth dates', () => {
    const rim = entries.find((e) => e.entryId === '52291');
    expect(rim).toMatchObject({
      kind: 'person',
      names: ['RIM, Ryong Nam'],
      countries: ['KP', 'CN'],
      birthDates: ['1978-12-05'],
    });
    expect(rim?.identifiers).toEqual([{ type: 'PASSPORT', value: '836238033', country: 'KP', label: 'Passport' }]);
    expect(entries.find((e) => e.entryId === '9673')?.names).toEqual([
      'Mohammed ABU JHEISHEH',
      'Mohammad Mutlaq ABU JHESHEH',
      'Mohammed ABU JEHEISHA',
    ]);
    expect(entries.find((e) => e.entryId === '18283')?.identifiers).toContainEqual({
      type: 'OGRN',
      value: '1027739108649',
      country: 'RU',
      label: 'Public Registration Number',
    });
  });

  it('turns the source list into a programme', () => {
    const programs = new Set(entries.flatMap((e) => e.programs));
    for (const name of [
      'Entity List',
      'Military End User List',
      'Denied Persons List',
      'Unverified List',
      'Nonproliferation Sanctions',
    ]) {
      expect(programs.has(name)).toBe(true);
    }
    expect(cslListName('Entity List (EL) - Bureau of Industry and Security')).toBe('Entity List');
  });
});

describe('csl-csv on the BIS Denied Persons List (tab-separated)', () => {
  it('imports every row, with US as country when only a state is given', async () => {
    const entries = await collect(importCsl({ file: file(csl('dpl_2019.txt')) }));
    expect(dataRows(csl('dpl_2019.txt'), '\t')).toBe(546);
    expect(entries).toHaveLength(546);
    expect(entries[0]).toMatchObject({
      kind: 'unknown',
      names: ['ADRIAN MANUEL HERNANDEZ'],
      countries: ['US'],
      programs: ['Denied Persons List'],
    });
    expect(entries.find((e) => e.names[0] === 'ABDULAMIR MAHDI')?.countries).toEqual(['CA']);
  });
});

describe('csl-csv malformed input', () => {
  const header = 'source,entity_number,type,programs,name,alt_names,ids\n';
  it('fails on a wrong column count with the line', async () => {
    const err = await importError(importCsl({ file: text(`${header}SDN,1,Entity,X,ACME,,\nSDN,2,Entity,X,BETA\n`) }));
    expect(err).toMatchObject({ part: 'file', line: 3 });
  });
  it('fails on bad quoting with the line', async () => {
    const err = await importError(
      importCsl({ file: text(`${header}SDN,1,Entity,X,ACME,,\nSDN,2,Entity,X,"BE"TA,,\n`) }),
    );
    expect(err).toMatchObject({ part: 'file', line: 3 });
  });
  it('fails on an unknown header, a missing name and an empty file', async () => {
    expect((await importError(importCsl({ file: text('a,b,c\n1,2,3\n') }))).line).toBe(1);
    expect((await importError(importCsl({ file: text(`${header}SDN,1,Entity,X,,,\n`) }))).message).toMatch(
      /line 2: name is empty/,
    );
    expect((await importError(importCsl({ file: text('') }))).message).toMatch(/no entries/);
    expect((await importError(importCsl({ file: text(header) }))).message).toMatch(/no entries/);
  });
});
