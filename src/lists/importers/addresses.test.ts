import { join } from 'node:path';
import type { EntityEntry } from '../../domain/list-entry';
import { entityImporter } from './index';
import { ENTITIES, DATA, collect, file, text } from './__tests__/support';

/** Every importer keeps the list's addresses on the entry; real files from test/fixtures (see SOURCES.md there). */
async function byId(
  format: Parameters<typeof entityImporter>[0],
  parts: Parameters<ReturnType<typeof entityImporter>>[0],
): Promise<Map<string, EntityEntry>> {
  return new Map((await collect(entityImporter(format)(parts))).map((e) => [e.entryId, e]));
}

describe('importers keep addresses', () => {
  it('ofac-sdn-csv: add.csv street, city/state/postal and country', async () => {
    const dir = join(ENTITIES, 'ofac-sdn-2019');
    const entries = await byId('ofac-sdn-csv', {
      sdn: file(join(dir, 'sdn.csv')),
      alt: file(join(dir, 'alt.csv')),
      add: file(join(dir, 'add.csv')),
    });
    const gurgen = entries.get('16274')!;
    expect(gurgen.addresses).toHaveLength(8);
    expect(gurgen.addresses).toContainEqual({
      street: 'Ulitsa Angarskaya, 22.1',
      city: 'Moscow 125635',
      country: 'RU',
    });
    // A row with only a city is kept (it is not evidence alone, but a reviewer reads it); one with only a country is not.
    expect(entries.get('751')?.addresses).toContainEqual({ city: 'Moscow', country: 'RU' });
    expect(entries.get('7321')?.addresses?.some((a) => a.street === undefined && a.city === undefined)).toBe(false);
  }, 60000);

  it('un-xml: STREET, CITY, STATE_PROVINCE, ZIP_CODE, COUNTRY', async () => {
    const entries = await byId('un-xml', { file: file(join(ENTITIES, 'un', 'UN_consolidated_2026-02-27.xml')) });
    expect(entries.get('QDi.396')?.addresses).toContainEqual({
      street: 'Akharkho Street, 11, Katyr-Yurt',
      city: 'Achkhoy-Martanovskiy District',
      region: 'Republic of Chechnya',
      country: 'RU',
    });
  }, 60000);

  it('uk-sanctions-xml: address lines, postcode and country', async () => {
    const entries = await byId('uk-sanctions-xml', {
      file: file(join(DATA, '..', 'lists', 'uk-sanctions-sample.xml')),
    });
    expect(entries.get('RUS1340')?.addresses).toEqual([
      { full: '19 Vavilova Street, Moscow', postcode: '117312', country: 'RU' },
    ]);
  });

  it('ftm-jsonl: the address property, Cyrillic as written', async () => {
    const entries = await byId('ftm-jsonl', {
      file: file(join(ENTITIES, 'opensanctions', 'yente_zala_cluster_entities.ftm.json')),
    });
    expect(entries.get('NK-56Edov9bas9puzaChH5pBy')?.addresses).toEqual([
      { full: 'УЛ. ВОРОВСКОГО Д.130, Г. ИЖЕВСК, УДМУРТСКАЯ РЕСПУБЛИКА, 426063' },
      { full: 'УЛ. СОВЕТСКАЯ Д.21, Г. ИЖЕВСК, УДМУРТСКАЯ РЕСПУБЛИКА, 426057' },
    ]);
  });

  it('csl-csv: the addresses column of the CSL and the address columns of the DPL', async () => {
    const csl = await collect(
      entityImporter('csl-csv')({ file: file(join(ENTITIES, 'csl', 'csl_us_consolidated_sample.csv')) }),
    );
    expect(csl.find((e) => e.names[0] === 'Atlas Sanatgaran')?.addresses).toEqual([
      { full: 'Komitas 26/114, Yerevan, Armenia, AM', country: 'AM' },
    ]);
    const dpl = await collect(entityImporter('csl-csv')({ file: file(join(ENTITIES, 'csl', 'dpl_2019.txt')) }));
    expect(dpl.find((e) => e.names[0] === 'ADRIAN MANUEL HERNANDEZ')?.addresses).toEqual([
      { street: '3037 S. 69TH DRIVE', city: 'PHONEIX', region: 'AZ', postcode: '85043', country: 'US' },
    ]);
  });

  it("eu-fsf-xml: the address element's attributes", async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<export xmlns="http://eu.europa.ec/fpi/fsd/export">
<sanctionEntity logicalId="9">
<nameAlias wholeName="Test Trading LLC"/>
<address city="Moscow" street="Angarskaya 22" zipCode="125635" region="" place="" poBox="" countryIso2Code="RU"/>
</sanctionEntity>
</export>\n`;
    const [e] = await collect(entityImporter('eu-fsf-xml')({ file: text(xml) }));
    expect(e.addresses).toEqual([{ street: 'Angarskaya 22', city: 'Moscow', postcode: '125635', country: 'RU' }]);
  });

  it('entities-csv: an addresses column, ;-separated', async () => {
    const csv =
      'id,name,addresses\nW-1,"Ural Components","ул. Ангарская, д. 22, г. Москва, 125635; 7 Tverskaya st, Moscow"\nW-2,"No Address",\n';
    const entries = await byId('entities-csv', { file: text(csv) });
    expect(entries.get('W-1')?.addresses).toEqual([
      { full: 'ул. Ангарская, д. 22, г. Москва, 125635' },
      { full: '7 Tverskaya st, Moscow' },
    ]);
    expect(entries.get('W-2')?.addresses).toBeUndefined();
  });
});
