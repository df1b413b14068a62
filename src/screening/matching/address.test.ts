import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { EntityEntry } from '../../domain/list-entry';
import { importOfacSdn } from '../../lists/importers/ofac-sdn';
import { compareAddresses, parseAddress } from './address';
import { AddressIndex, bestAddressMatch } from './address-index';
import { runToEnd } from './typed-buffers';

const ENTITIES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'data', 'entities');

/*
 * List addresses below are quoted from the real files in test/fixtures/data (see SOURCES.md there): OFAC SDN 2019
 * add.csv, the OpenSanctions ZALA cluster (Russian registry and AU DFAT forms of one address), the UK sample.
 */
describe('address normalisation in both scripts', () => {
  it('reads a Russian registry address and its English form alike', () => {
    const ru = parseAddress('г. Москва, ул. Тверская, д. 7');
    const en = parseAddress('7 Tverskaya st, Moscow');
    expect(ru).toMatchObject({ street: ['tverskaya'], house: '7', city: ['moskva'], specific: true });
    expect(en).toMatchObject({ street: ['tverskaya'], house: '7', place: ['moskva'], specific: true });
    expect(compareAddresses(ru, en)).toMatchObject({ level: 'building', specific: true });
  });

  it('knows street types, house and building markers in both scripts', () => {
    // OpenSanctions: ООО "ИЖТЕЛЕКОМ" (registry) and the AU DFAT Address record of the same building.
    const registry = parseAddress('УЛ. ВОРОВСКОГО Д.130, Г. ИЖЕВСК, УДМУРТСКАЯ РЕСПУБЛИКА, 426063');
    const dfat = parseAddress('130 Vorovskogo st. Izhevsk, 426063, Russia');
    expect(registry).toMatchObject({ street: ['vorovskogo'], house: '130', postcode: '426063', specific: true });
    expect(registry.city).toContain('izhevsk');
    expect(dfat).toMatchObject({
      street: ['vorovskogo'],
      house: '130',
      postcode: '426063',
      country: 'RU',
      specific: true,
    });
    expect(compareAddresses(dfat, registry).level).toBe('building');

    expect(parseAddress('Б-Р ЧЕРНОМОРСКИЙ Д. 17 К. 1, Г.МОСКВА, 117452')).toMatchObject({
      street: ['chernomorskiy'],
      house: '17',
      buildings: ['1'],
      postcode: '117452',
      city: ['moskva'],
    });
    expect(parseAddress('пр-т Ленина, дом 5, корп. 2, кв. 40')).toMatchObject({
      street: ['lenina'],
      house: '5',
      buildings: ['2'],
    });
    expect(parseAddress('Leninsky Prospekt, 128-1-125')).toMatchObject({ street: ['leninsky'], house: '128' });
    expect(parseAddress("Ulitsa Oktyabr'skaya, dom. 89")).toMatchObject({ street: ['oktyabrskaya'], house: '89' });
    expect(parseAddress('47A, Sevastopolskiy Ave., of. 304')).toMatchObject({
      street: ['sevastopolskiy'],
      house: '47a',
    });
    expect(parseAddress('Flat 612, Romney House, 47 Marsham Street, London SW1P 3DS')).toMatchObject({
      street: ['marsham'],
      house: '47',
      postcode: 'SW1P3DS',
    });
    expect(parseAddress({ street: 'Zweierstrasse 35', city: 'Zurich CH-8022', country: 'Switzerland' })).toMatchObject({
      street: ['zweierstrasse'],
      house: '35',
      postcode: '8022',
      country: 'CH',
      specific: true,
    });
  });

  it('reads Ukrainian forms (вул., буд., м.) and ignores flats and floors', () => {
    const ua = parseAddress(
      'Російська Федерація, 117218, м. Москва, вул. Кржижановського, буд. 18 (к. 4, пов. 7, прим. / кімн. ХІХ/1 )',
    );
    const ru = parseAddress('УЛ КРЖИЖАНОВСКОГО Д. 18 К. 4, Г.МОСКВА, 117218');
    expect(ua).toMatchObject({ house: '18', postcode: '117218', country: 'RU', city: ['moskva'] });
    expect(compareAddresses(ua, ru)).toMatchObject({ level: 'building', specific: true });
  });

  it('calls an address specific only with a street and a house number or postcode', () => {
    expect(parseAddress('г. Москва').specific).toBe(false);
    expect(parseAddress('Moscow, Russia').specific).toBe(false);
    expect(parseAddress('Moscow 125635').specific).toBe(false);
    expect(parseAddress('ул. Тверская, Москва').specific).toBe(false);
    expect(parseAddress('P.O. Box 777, Jumeirah, Dubai').specific).toBe(false);
    expect(parseAddress('ул. Тверская, 125009 Москва').specific).toBe(true);
  });
});

describe('address comparison', () => {
  const listed = parseAddress({ street: 'Ulitsa Angarskaya, 22.1', city: 'Moscow 125635', country: 'Russia' }); // OFAC 16274

  it('matches the same building across scripts', () => {
    expect(compareAddresses(parseAddress('125635, г. Москва, ул. Ангарская, д. 22, стр. 1'), listed)).toMatchObject({
      level: 'building',
      specific: true,
    });
    expect(compareAddresses(parseAddress('22 Angarskaya Street, Moscow'), listed)).toMatchObject({
      level: 'building',
      specific: true,
    });
  });

  it('does not match the same street with another number, another postcode or another city', () => {
    expect(compareAddresses(parseAddress('г. Москва, ул. Ангарская, д. 40'), listed)).toMatchObject({
      level: 'street',
      specific: false,
    });
    expect(compareAddresses(parseAddress('ул. Ангарская, д. 22, 630000'), listed)).toMatchObject({
      level: 'street',
      specific: false,
    });
    expect(compareAddresses(parseAddress('г. Новосибирск, ул. Ангарская, д. 22'), listed)).toMatchObject({
      level: 'street',
      specific: false,
    });
    expect(compareAddresses(parseAddress('ул. Ангарская, д. 22, Kazakhstan'), listed)).toMatchObject({
      level: 'none',
      specific: false,
    });
  });

  it('treats a shared city or postcode as city level, never specific', () => {
    expect(compareAddresses(parseAddress('г. Москва'), listed)).toMatchObject({ level: 'city', specific: false });
    expect(compareAddresses(parseAddress('125635 Moscow'), listed)).toMatchObject({ level: 'city', specific: false });
    expect(compareAddresses(parseAddress('ул. Тверская, д. 22, г. Москва'), listed)).toMatchObject({
      level: 'city',
      specific: false,
    });
  });

  it('accepts a street and postcode when one side has no house number', () => {
    expect(compareAddresses(parseAddress('ул. Ангарская, 125635 Москва'), listed)).toMatchObject({
      level: 'street-postcode',
      specific: true,
    });
  });

  it("picks the best of an entry's addresses", () => {
    const addresses = [
      { street: '130 A, Ulitsa Klara Tsetkina', city: 'Shymkent 160000', country: 'KZ' },
      { street: 'Ulitsa Angarskaya, 22.1', city: 'Moscow 125635', country: 'RU' },
    ];
    expect(bestAddressMatch(parseAddress('г. Шымкент, ул. Клары Цеткин, 130'), addresses)?.comparison.level).toBe(
      'building',
    );
    expect(bestAddressMatch(parseAddress('г. Москва'), addresses)?.comparison.level).toBe('city');
  });
});

describe('address index over the real OFAC SDN list of 2019', () => {
  let entries: EntityEntry[];
  let index: AddressIndex;
  beforeAll(async () => {
    entries = [];
    const part = (name: string) => () => createReadStream(join(ENTITIES, 'ofac-sdn-2019', `${name}.csv`));
    for await (const e of importOfacSdn({ sdn: part('sdn'), alt: part('alt'), add: part('add') })) entries.push(e);
    index = runToEnd(AddressIndex.steps(entries));
  }, 60000);

  const found = (text: string) => index.lookup(parseAddress(text)).map((m) => entries[m.entry].entryId);

  it('finds listed entries by a declared address in Cyrillic or Latin', () => {
    expect(found('125635, г. Москва, ул. Ангарская, д. 22')).toEqual(['16274']);
    expect(found('119296, Москва, Университетский проспект, 9')).toEqual(['16275']);
    expect(found('ул. Октябрьская, д. 89, г. Москва')).toEqual(['7321']);
    expect(found('General Tyuleneva ulitsa 7, Moscow')).toEqual(['15645']);
  });

  it('finds nothing for the same street with another number, or a city alone', () => {
    expect(found('г. Москва, ул. Ангарская, д. 40')).toEqual([]);
    expect(found('г. Москва')).toEqual([]);
    expect(found('Moscow 125635')).toEqual([]);
  });

  it('indexes only specific addresses, and keeps every address on the entry', () => {
    const all = entries.reduce((n, e) => n + (e.addresses?.length ?? 0), 0);
    expect(index.size).toBeGreaterThan(3000);
    expect(index.size).toBeLessThan(all);
    expect(index.addressesOf('16274')).toHaveLength(8);
    expect(index.addressesOf('no-such-entry')).toEqual([]);
  });
});
