import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { EntityEntry } from '../../domain/list-entry';
import { entityImporter, type ImportParts } from './index';
import { openRelatedLookup } from './ofac-join';
import { splitPrograms } from './ofac-sdn';
import { ENTITIES, collect, file, importError, text } from './__tests__/support';

const importOfac = entityImporter('ofac-sdn-csv');
const dir2019 = join(ENTITIES, 'ofac-sdn-2019');
const dir2025 = join(ENTITIES, 'ofac-sample-2025');
const parts2019: ImportParts = {
  sdn: file(join(dir2019, 'sdn.csv')),
  alt: file(join(dir2019, 'alt.csv')),
  add: file(join(dir2019, 'add.csv')),
};
const parts2025: ImportParts = {
  sdn: file(join(dir2025, 'sdn.csv')),
  alt: file(join(dir2025, 'alt.csv')),
  add: file(join(dir2025, 'add.csv')),
  comments: file(join(dir2025, 'sdn_comments.csv')),
};

describe('ofac-sdn-csv on the complete SDN list of January 2019', () => {
  let entries: EntityEntry[];
  let byId: Map<string, EntityEntry>;
  beforeAll(async () => {
    entries = await collect(importOfac(parts2019));
    byId = new Map(entries.map((e) => [e.entryId, e]));
  });

  it('imports all 7,379 entries, in file order', () => {
    expect(entries).toHaveLength(7379);
    expect(byId.size).toBe(7379);
    expect(entries[0].entryId).toBe('36');
  });

  it('attaches every one of the 9,682 aliases to its entry', () => {
    const alt = parse(readFileSync(join(dir2019, 'alt.csv'), 'latin1'), { relax_column_count: true }) as string[][];
    expect(alt).toHaveLength(9682);
    const missing = alt.filter(([ent, , , name]) => !byId.get(ent)?.names.includes(name.trim()));
    expect(missing).toEqual([]);
  });

  it('merge-joins, because OFAC files are sorted by ent_num', async () => {
    const { lookup, mode } = await openRelatedLookup(parts2019);
    await lookup.close();
    expect(mode).toBe('merge');
  });

  it('maps SDN_Type to kind', () => {
    const kinds = entries.reduce<Record<string, number>>(
      (acc, e) => ({ ...acc, [e.kind]: (acc[e.kind] ?? 0) + 1 }),
      {},
    );
    expect(kinds).toEqual({ person: 3845, organization: 2994, vessel: 323, aircraft: 217 });
  });

  it('splits multi-programme fields', () => {
    expect(byId.get('21328')?.programs).toEqual(['CYBER2', 'CAATSA - RUSSIA']);
    expect(entries.filter((e) => e.programs.length > 1)).toHaveLength(657);
  });

  it('extracts Russian tax and registration numbers from Remarks (BANK ROSSIYA)', () => {
    const bank = byId.get('16681');
    expect(bank?.identifiers).toEqual(
      expect.arrayContaining([
        { type: 'SWIFT', value: 'ROSYRU2P', label: 'SWIFT/BIC' },
        { type: 'OGRN', value: '1027800000084', country: 'RU', label: 'Registration ID' },
        { type: 'INN', value: '7831000122', country: 'RU', label: 'Tax ID No.' },
        { type: 'REGISTRATION', value: '09804148', country: 'RU', label: 'Government Gazette Number' },
      ]),
    );
  });

  it('keeps an old 12-digit Kazakh number that is no BIN as a national id (GURGEN HOUSE FZCO)', () => {
    const ids = byId.get('16274')?.identifiers.map((i) => `${i.type}:${i.value}:${i.country}`);
    expect(ids).toEqual([
      'NATIONAL_ID:40788618:KZ',
      'NATIONAL_ID:582100259386:KZ',
      'INN:7743693291:RU',
      'REGISTRATION:86483143:RU',
      'OGRN:1087746669845:RU',
    ]);
  });

  it('reads a vessel: IMO, call sign, flag and former names (ARTAVIL)', () => {
    const vessel = byId.get('15036');
    expect(vessel).toMatchObject({
      kind: 'vessel',
      names: ['ARTAVIL', 'ABADAN', 'ALPHA', 'SHONA'],
      countries: ['IR'],
      programs: ['IRAN'],
    });
    expect(vessel?.identifiers).toEqual(
      expect.arrayContaining([
        { type: 'IMO', value: '9187629', label: 'Vessel Registration Identification IMO' },
        { type: 'OTHER', value: 'T2EU4', label: 'Call Sign' },
      ]),
    );
  });

  it('takes nationality and address countries and birth dates', () => {
    expect(byId.get('21328')).toMatchObject({ kind: 'person', countries: ['RU'], birthDates: ['1956-08-03'] });
    expect(byId.get('306')).toMatchObject({
      names: ['BANCO NACIONAL DE CUBA', 'NATIONAL BANK OF CUBA', 'BNC'],
      countries: ['CH', 'ES', 'JP', 'PA'],
    });
  });
});

describe('ofac-sdn-csv on the 2025 sample (unsorted, with sdn_comments)', () => {
  let byId: Map<string, EntityEntry>;
  beforeAll(async () => {
    byId = new Map((await collect(importOfac(parts2025))).map((e) => [e.entryId, e]));
  });

  it('imports the 17 entries, holding alt/add in maps because the files are not sorted', async () => {
    expect(byId.size).toBe(17);
    const { mode } = await openRelatedLookup(parts2025);
    expect(mode).toBe('map');
  });

  it('reads the Russian tax ID of KHOROSHEV as an INN, with aliases and passports', () => {
    const k = byId.get('48603');
    expect(k?.names).toEqual([
      'KHOROSHEV, Dmitry Yuryevich',
      'KHOROSHEV, Dmitriy Yurevich',
      'YURIEVICH, Dmitry',
      'KHOROSHEV, Dmitrii Yuryevich',
      'LOCKBITSUPP',
    ]);
    expect(k?.identifiers).toContainEqual({ type: 'INN', value: '366110340670', country: 'RU', label: 'Tax ID No.' });
    expect(k?.identifiers.filter((i) => i.type === 'PASSPORT')).toHaveLength(2);
  });

  it('reads INN and OGRN of DIALOG REGIONS', () => {
    expect(byId.get('50544')?.identifiers).toEqual([
      { type: 'INN', value: '9709063550', country: 'RU', label: 'Tax ID No.' },
      { type: 'OGRN', value: '1207700248030', country: 'RU', label: 'Business Registration Number' },
    ]);
  });

  it('splits programmes and maps vessels and aircraft', () => {
    expect(byId.get('28603')?.programs).toEqual(['UKRAINE-EO13662', 'VENEZUELA-EO13850']);
    expect(byId.get('48727')).toMatchObject({ kind: 'aircraft', programs: ['SDGT', 'NPWMD', 'IRGC', 'IFSR'] });
    expect(byId.get('47371')).toMatchObject({ kind: 'vessel', countries: ['GA'] });
    expect(byId.get('47371')?.identifiers[0]).toEqual({
      type: 'IMO',
      value: '9339301',
      label: 'Identification Number IMO',
    });
  });

  it('appends sdn_comments to the cut Remarks and mines the continuation', () => {
    const suex = byId.get('33151');
    expect(suex?.remarks).toContain('1B64QRxfaa35MVkf7sDjuGUYAP5izQt7Qi');
    expect(suex?.names).toContain('SUCCESSFUL EXCHANGE');
    expect(suex?.identifiers).toContainEqual({
      type: 'REGISTRATION',
      value: '07486049',
      country: 'CZ',
      label: 'Company Number',
    });
  });

  it('ignores alt/add rows whose ent_num has no sdn row', () => {
    expect(byId.get('10278')?.names).toEqual(['LOGAN MOREY, Elvis Angus', 'BURTON BURGESS']);
    expect(byId.has('10416')).toBe(false);
  });
});

describe('ofac-sdn-csv malformed input', () => {
  const row = (id: number, name = 'X'): string =>
    `${id},"${name}",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n`;

  it('fails on a wrong column count with the line', async () => {
    const err = await importError(importOfac({ sdn: text(row(1) + row(2) + '3,"Y",-0- ,"SDGT"\n') }));
    expect(err).toMatchObject({ part: 'sdn', line: 3 });
    expect(err.message).toMatch(/expected 12 columns, found 4/);
  });

  it('fails on bad quoting in alt with the line of the record', async () => {
    const err = await importError(
      importOfac({ sdn: text(row(1)), alt: text('1,10,"aka","A",-0- \n1,11,"aka,"B,-0- \n') }),
    );
    expect(err).toMatchObject({ part: 'alt', line: 2 });
  });

  it('fails on a non-numeric ent_num and on duplicate ent_nums', async () => {
    expect(await importError(importOfac({ sdn: text(row(1) + 'x' + row(2)) }))).toMatchObject({ part: 'sdn', line: 2 });
    expect((await importError(importOfac({ sdn: text(row(1) + row(1)) }))).message).toMatch(/duplicate ent_num 1/);
  });

  it('fails on a missing or empty sdn part, and on an empty optional part', async () => {
    expect(await importError(importOfac({ alt: text('1,2,"aka","A",-0- ') }))).toMatchObject({ part: 'sdn' });
    expect((await importError(importOfac({ sdn: text('') }))).message).toMatch(/sdn: file is empty/);
    expect((await importError(importOfac({ sdn: text(row(1)), add: text('\n') }))).message).toMatch(
      /add: file is empty/,
    );
  });

  it('fails on a part that mixes UTF-8 and Latin-1, with the line', async () => {
    const mixed = Buffer.concat([
      Buffer.from(row(1, 'ЖУРАВЛЕВА') + row(2), 'utf8'),
      Buffer.from(row(3, 'M\xfcller'), 'latin1'),
    ]);
    const err = await importError(importOfac({ sdn: text(mixed, 16) }));
    expect(err).toMatchObject({ part: 'sdn', line: 3 });
    expect(err.message).toMatch(/not valid UTF-8/);
  });

  it('reads Latin-1 names', async () => {
    const latin1 = Buffer.from(
      '1,"M\xdcLLER, J\xfcrgen","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
      'latin1',
    );
    expect((await collect(importOfac({ sdn: text(latin1) })))[0].names).toEqual(['MÜLLER, Jürgen']);
  });
});

describe('splitPrograms', () => {
  it('splits bracketed lists', () => {
    expect(splitPrograms('UKRAINE-EO13662] [RUSSIA-EO14024')).toEqual(['UKRAINE-EO13662', 'RUSSIA-EO14024']);
    expect(splitPrograms('[SDGT]')).toEqual(['SDGT']);
    expect(splitPrograms(undefined)).toEqual([]);
  });
});
