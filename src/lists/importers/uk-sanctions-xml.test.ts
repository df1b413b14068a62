import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityEntry } from '../../domain/list-entry';
import { entityImporter } from './index';
import { ukBirthDate } from './uk-sanctions-xml';
import { REPO_ROOT, collect, file, importError, text } from './__tests__/support';

const importUk = entityImporter('uk-sanctions-xml');
const UK_FILE = join(REPO_ROOT, 'test', 'fixtures', 'lists', 'uk-sanctions-sample.xml');

describe('uk-sanctions-xml on a sample in the FCDO UK Sanctions List format', () => {
  let entries: EntityEntry[];
  let byId: Map<string, EntityEntry>;
  beforeAll(async () => {
    entries = await collect(importUk({ file: file(UK_FILE) }));
    byId = new Map(entries.map((e) => [e.entryId, e]));
  });

  it('imports every Designation under its UniqueID, with the kind from IndividualEntityShip', () => {
    const designations = readFileSync(UK_FILE, 'utf8').match(/<Designation>/g)?.length;
    expect(entries).toHaveLength(designations!);
    expect(byId.size).toBe(12);
    const kinds = entries.reduce<Record<string, number>>((n, e) => ({ ...n, [e.kind]: (n[e.kind] ?? 0) + 1 }), {});
    expect(kinds).toEqual({ person: 6, organization: 4, vessel: 2 });
  });

  it('joins Name1..Name5 before the surname Name6, primary name first, and keeps non-Latin names', () => {
    expect(byId.get('RUS0251')).toMatchObject({
      kind: 'person',
      names: ['Vladimir Vladimirovich PUTIN', 'Владимир Владимирович Путин'],
      countries: ['RU'],
      programs: ['The Russia (Sanctions) (EU Exit) Regulations 2019'],
      birthDates: ['1952-10-07'],
    });
    expect(byId.get('AQD0006')?.names[0]).toBe('Ayman Muhammed Rabi AL-ZAWAHIRI');
    expect(byId.get('BEL0001')?.names).toEqual([
      'Aliaksandr Ryhoravich LUKASHENKA',
      'Alexander Grigoryevich LUKASHENKO',
      'Аляксандр Рыгоравіч Лукашэнка',
      'Александр Григорьевич Лукашенко',
    ]);
    expect(byId.get('DPR0002')?.names).toContain('조선광업개발무역회사');
    expect(byId.get('IRN0182')?.names).toContain('سپاه پاسداران انقلاب اسلامی');
  });

  it('lists low-quality aliases as weak names and keeps good ones strong', () => {
    expect(byId.get('RUS0292')).toMatchObject({
      names: [
        'Oleg Vladimirovich DERIPASKA',
        'Oleg Vladimirovitch DERIPASKA',
        'DERIPASKA',
        'Олег Владимирович Дерипаска',
      ],
      weakNames: ['DERIPASKA'],
    });
    expect(byId.get('IRN0182')?.weakNames).toEqual(['IRGC']);
    expect(byId.get('RUS0270')?.weakNames).toBeUndefined();
    expect(entries.reduce((n, e) => n + (e.weakNames?.length ?? 0), 0)).toBe(5);
  });

  it('reads entity names from Name6, addresses, registration numbers, ship IMO numbers and flags', () => {
    expect(byId.get('RUS1340')).toMatchObject({
      kind: 'organization',
      names: ['PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA', 'SBERBANK', 'PJSC SBERBANK', 'ПАО Сбербанк'],
      countries: ['RU'],
      identifiers: [{ type: 'OGRN', value: '1027700132195', country: 'RU', label: 'Business Registration Number' }],
    });
    expect(byId.get('RUS0270')?.countries).toEqual(['RU', 'CF']);
    expect(byId.get('RUS1756')).toMatchObject({
      kind: 'vessel',
      names: ['NS CHAMPION'],
      countries: ['LR'],
      identifiers: [{ type: 'IMO', value: '9299111' }],
    });
    expect(byId.get('DPR0096')).toMatchObject({
      kind: 'vessel',
      countries: ['KP'],
      identifiers: [{ type: 'IMO', value: '8660313' }],
    });
  });

  it('reads passports and national identifiers, birth dates with unknown parts, and the UN reference', () => {
    expect(byId.get('AQD0006')?.identifiers).toEqual([
      { type: 'PASSPORT', value: '1084010', country: 'EG', label: 'Passport' },
      { type: 'NATIONAL_ID', value: '19500', country: 'EG', label: 'National Identifier' },
    ]);
    expect(byId.get('SYR0011')?.identifiers).toEqual([{ type: 'PASSPORT', value: 'D1903', label: 'Passport' }]);
    expect(byId.get('TAL0024')).toMatchObject({
      birthDates: ['1968'],
      remarks: expect.stringContaining('UN reference TAi.024.'),
    });
    expect(byId.get('RUS0251')?.remarks).toBe('President of the Russian Federation.');
  });
});

describe('uk-sanctions-xml details and malformed input', () => {
  const doc = (body: string): string =>
    `<?xml version="1.0" encoding="utf-8"?>\n<Designations>\n<DateGenerated>01/01/2025</DateGenerated>\n${body}</Designations>\n`;
  const one =
    '<Designation><UniqueID>GBR0001</UniqueID><Names><Name><Name6>ACME</Name6><NameType>Primary Name</NameType></Name></Names><IndividualEntityShip>Entity</IndividualEntityShip></Designation>\n';

  it('turns dd/mm/yyyy into ISO dates, dropping unknown parts', () => {
    expect(
      ['07/10/1952', 'dd/mm/1968', 'dd/05/1968', '00/00/1970', '1/2/1980', '1975', 'circa 1960'].map(ukBirthDate),
    ).toEqual(['1952-10-07', '1968', '1968-05', '1970', '1980-02-01', '1975', undefined]);
  });
  it('puts the primary name first even when an alias comes before it', async () => {
    const aliasFirst =
      '<Designation><UniqueID>X1</UniqueID><Names><Name><Name6>ALIAS</Name6><NameType>Alias</NameType><AliasStrength>Low quality</AliasStrength></Name>' +
      '<Name><Name1>Jo</Name1><Name6>DOE</Name6><NameType>Primary Name</NameType></Name></Names><IndividualEntityShip>Individual</IndividualEntityShip></Designation>\n';
    expect(await collect(importUk({ file: text(doc(aliasFirst)) }))).toEqual([
      {
        entryId: 'X1',
        kind: 'person',
        names: ['Jo DOE', 'ALIAS'],
        weakNames: ['ALIAS'],
        countries: [],
        programs: [],
        identifiers: [],
      },
    ]);
  });
  it('imports a minimal list', async () => {
    expect(await collect(importUk({ file: text(doc(one)) }))).toEqual([
      { entryId: 'GBR0001', kind: 'organization', names: ['ACME'], countries: [], programs: [], identifiers: [] },
    ]);
  });
  it('fails on a truncated file, a wrong root, a record without UniqueID or name, and an empty list', async () => {
    expect((await importError(importUk({ file: text(doc(one + one).slice(0, -40)) }))).message).toMatch(/invalid XML/);
    expect((await importError(importUk({ file: text('<CONSOLIDATED_LIST></CONSOLIDATED_LIST>') }))).message).toMatch(
      /root element must be <Designations>/,
    );
    const noId = await importError(
      importUk({ file: text(doc('<Designation><Names><Name><Name6>A</Name6></Name></Names></Designation>\n')) }),
    );
    expect(noId).toMatchObject({ part: 'file', line: 4 });
    expect(noId.message).toMatch(/without UniqueID/);
    expect(
      (await importError(importUk({ file: text(doc('<Designation><UniqueID>Y</UniqueID></Designation>\n')) }))).message,
    ).toMatch(/Y without a name/);
    expect((await importError(importUk({ file: text(doc('')) }))).message).toMatch(/no entries/);
  });
});
