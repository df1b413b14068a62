import { join } from 'node:path';
import { entityImporter } from './index';
import { REPO_ROOT, collect, file, importError, text } from './__tests__/support';

const importCustom = entityImporter('entities-csv');
const HEADER = 'id,name,kind,aliases,countries,programs,identifiers\n';

describe('entities-csv', () => {
  it('imports the fixture', async () => {
    const entries = await collect(
      importCustom({ file: file(join(REPO_ROOT, 'test', 'fixtures', 'lists', 'entities-sample.csv')) }),
    );
    expect(entries).toHaveLength(5);
    expect(entries[0]).toEqual({
      entryId: 'KZ-0001',
      kind: 'organization',
      names: ['Acme Trading LLP', 'ACME LLP', 'ТОО "Акме Трейдинг"'],
      countries: ['KZ'],
      programs: ['INTERNAL-WATCH'],
      identifiers: [{ type: 'BIN', value: '940140000385', country: 'KZ' }],
    });
    expect(entries[1].identifiers).toEqual([
      { type: 'INN', value: '7704681172', country: 'RU' },
      { type: 'OGRN', value: '1087746334400', country: 'RU' },
    ]);
    expect(entries[3]).toMatchObject({ kind: 'vessel', identifiers: [{ type: 'IMO', value: '9339301' }] });
    expect(entries[4]).toMatchObject({ kind: 'unknown', names: ['Unnamed Freight Forwarder'], identifiers: [] });
  });

  it('accepts columns in any order and only id and name', async () => {
    const entries = await collect(importCustom({ file: text('name,id\nAcme,1\n') }));
    expect(entries).toEqual([
      { entryId: '1', kind: 'unknown', names: ['Acme'], countries: [], programs: [], identifiers: [] },
    ]);
  });

  it.each([
    [`${HEADER}1,A,organization,,,,BIN:940140000386\n`, 2, /invalid BIN "940140000386": check digit mismatch/],
    [`${HEADER}1,A,organization,,,,INN 7704681172\n`, 2, /invalid identifier/],
    [`${HEADER}1,A,organization,,,,FOO:1\n`, 2, /invalid identifier/],
    [`${HEADER}1,A,organization,,RUS,,\n`, 2, /invalid country code "RUS"/],
    [`${HEADER}1,A,company,,,,\n`, 2, /invalid kind "company"/],
    [`${HEADER}1,A,person\n2,,person,,,,\n`, 2, /expected 7 columns/],
    [`${HEADER}1,A,person,,,,\n2,,person,,,,\n`, 3, /name is empty/],
    ['id,name,alias\n1,A,B\n', 1, /unknown column "alias"/],
    ['name,kind\nA,person\n', 1, /lacks the "id" column/],
  ])('rejects bad input %#', async (content, line, message) => {
    const err = await importError(importCustom({ file: text(content) }));
    expect(err).toMatchObject({ part: 'file', line });
    expect(err.message).toMatch(message);
  });

  it('rejects an empty file', async () => {
    expect((await importError(importCustom({ file: text('') }))).message).toMatch(/no entries/);
  });
});
