import { join } from 'node:path';
import type { EntityEntry } from '../../domain/list-entry';
import { entityImporter } from './index';
import { ENTITIES, collect, file, importError, text } from './__tests__/support';

const importEu = entityImporter('eu-fsf-xml');

describe('eu-fsf-xml on the EU FSF sample', () => {
  let byId: Map<string, EntityEntry>;
  beforeAll(async () => {
    const entries = await collect(importEu({ file: file(join(ENTITIES, 'eu-fsf', 'eu_fsf_sample.xml')) }));
    expect(entries).toHaveLength(7);
    byId = new Map(entries.map((e) => [e.entryId, e]));
  });

  it('reads the real 2024 export excerpt (logicalId 13)', () => {
    expect(byId.get('13')).toEqual({
      entryId: '13',
      kind: 'person',
      names: ['Saddam Hussein Al-Tikriti', 'Abu Ali', 'Abou Ali'],
      countries: ['IQ'],
      programs: ['IRQ'],
      identifiers: [],
      birthDates: ['1937-04-28'],
      remarks: 'UNSC RESOLUTION 1483',
    });
  });

  it('keeps Cyrillic, Belarusian and Ukrainian name forms', () => {
    expect(byId.get('900003')?.names).toEqual([
      'Tatyana Vladimirovna ZHURAVLEVA',
      'Татьяна Владимировна ЖУРАВЛЕВА',
      'Tatiana Vladimirovna ZJURAVLEVA',
      'Tetiana Volodymyrivna ZJURAVLEVA',
      'Тетяна Володимирівна ЖУРАВЛЕВА',
    ]);
    expect(byId.get('900005')?.names).toContain('Віктар Уладзіміравіч СОЙКА');
  });

  it('turns a Russian taxid into an INN and keeps a Belarusian regnumber', () => {
    expect(byId.get('900002')).toMatchObject({
      kind: 'person',
      countries: ['RU'],
      programs: ['RUS'],
      birthDates: ['1971-01-22'],
    });
    expect(byId.get('900002')?.identifiers).toEqual([
      { type: 'INN', value: '366510784303', country: 'RU', label: 'Tax identification number' },
    ]);
    expect(byId.get('900001')).toMatchObject({ kind: 'organization', countries: ['BY'], programs: ['BLR'] });
    expect(byId.get('900001')?.identifiers).toEqual([
      { type: 'REGISTRATION', value: '808000714', country: 'BY', label: 'Registration Number' },
    ]);
  });
});

describe('eu-fsf-xml details and malformed input', () => {
  const NS = 'http://eu.europa.ec/fpi/fsd/export';
  const wrap = (body: string): string =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<export xmlns="${NS}">\n${body}</export>\n`;

  it('reads weak aliases, composed names, partial birth dates and OGRN regnumbers', async () => {
    const [e] = await collect(
      importEu({
        file: text(
          wrap(`<sanctionEntity logicalId="7">
  <subjectType code="enterprise"/>
  <nameAlias wholeName="" firstName="" lastName="Zala Aero" strong="true"/>
  <nameAlias wholeName="ZALA" strong="false"/>
  <identification number="1101841007938" countryIso2Code="RU" identificationTypeCode="regnumber" identificationTypeDescription="Registration Number"/>
  <identification number="IMO 9339301" identificationTypeCode="imo"/>
  <address countryIso2Code="00"/>
  <birthdate year="1971" monthOfYear="7"/>
</sanctionEntity>
`),
        ),
      }),
    );
    expect(e).toMatchObject({
      entryId: '7',
      names: ['Zala Aero', 'ZALA'],
      weakNames: ['ZALA'],
      countries: [],
      birthDates: ['1971-07'],
    });
    expect(e.identifiers).toEqual([
      { type: 'OGRN', value: '1101841007938', country: 'RU', label: 'Registration Number' },
      { type: 'IMO', value: '9339301', label: 'imo' },
    ]);
  });

  it('fails on invalid XML with the line, and on entities without id or name', async () => {
    const err = await importError(
      importEu({
        file: text(
          wrap('<sanctionEntity logicalId="1">\n<nameAlias wholeName="A"/>\n<remark>x</remarks>\n</sanctionEntity>\n'),
        ),
      }),
    );
    expect(err).toMatchObject({ part: 'file', line: 5 });
    expect(
      (
        await importError(
          importEu({ file: text(wrap('<sanctionEntity><nameAlias wholeName="A"/></sanctionEntity>\n')) }),
        )
      ).message,
    ).toMatch(/line 3: sanctionEntity without logicalId/);
    expect(
      (await importError(importEu({ file: text(wrap('<sanctionEntity logicalId="1"></sanctionEntity>\n')) }))).message,
    ).toMatch(/without a name/);
    expect((await importError(importEu({ file: text(wrap('')) }))).message).toMatch(/no entries/);
  });
});
