import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityEntry } from '../../domain/list-entry';
import { entityImporter } from './index';
import { ENTITIES, collect, file, importError, text } from './__tests__/support';

const importUn = entityImporter('un-xml');
const UN_FILE = join(ENTITIES, 'un', 'UN_consolidated_2026-02-27.xml');

describe('un-xml on the UN consolidated list of 2026-02-27', () => {
  let entries: EntityEntry[];
  let byId: Map<string, EntityEntry>;
  beforeAll(async () => {
    entries = await collect(importUn({ file: file(UN_FILE) }));
    byId = new Map(entries.map((e) => [e.entryId, e]));
  });

  it('imports every INDIVIDUAL and ENTITY element', () => {
    const xml = readFileSync(UN_FILE, 'utf8');
    const individuals = xml.match(/<INDIVIDUAL>/g)?.length ?? 0;
    const entities = xml.match(/<ENTITY>/g)?.length ?? 0;
    expect([individuals, entities]).toEqual([730, 273]);
    expect(entries).toHaveLength(individuals + entities);
    expect(byId.size).toBe(entries.length);
    expect(entries.filter((e) => e.kind === 'person')).toHaveLength(730);
  });

  it('joins the name parts and keeps the original-script name (Cyrillic)', () => {
    const umarov = byId.get('QDi.290');
    expect(umarov?.names.slice(0, 2)).toEqual(['DOKU KHAMATOVICH UMAROV', 'Умаров Доку Хаматович']);
    expect(umarov).toMatchObject({ kind: 'person', countries: ['RU'], programs: ['Al-Qaida'] });
    expect(umarov?.identifiers).toEqual([{ type: 'PASSPORT', value: '9603464086', country: 'RU', label: 'Passport' }]);
    expect(byId.get('QDe.131')?.names).toContain('Эмират Кавказ');
  });

  it('keeps low-quality aliases and lists them as weak names', () => {
    const gaston = byId.get('CDi.003');
    expect(gaston?.names).toEqual([
      'GASTON IYAMUREMYE',
      'Rumuli',
      'Byiringiro Victor Rumuli',
      'Victor Rumuri',
      'Michel Byiringiro',
    ]);
    expect(gaston?.weakNames).toEqual(['Rumuli']);
    expect(gaston).toMatchObject({ countries: ['RW', 'CD'], birthDates: ['1948'] });
    const weak = entries.reduce((n, e) => n + (e.weakNames?.length ?? 0), 0);
    expect(weak).toBeGreaterThan(580); // 615 "Low" aliases, a few of which repeat a good name of the same entry
    expect(weak).toBeLessThanOrEqual(615);
  });

  it('reads documents, including French and Spanish passport labels', () => {
    expect(byId.get('KPi.009')?.identifiers).toEqual([
      { type: 'PASSPORT', value: 'PS381420397', country: 'KP', label: 'Numéro de passeport' },
    ]);
    const documents = entries.reduce((n, e) => n + e.identifiers.length, 0);
    expect(documents).toBeGreaterThan(400);
    expect(documents).toBeLessThanOrEqual(454);
  });

  it('maps entity aliases and addresses', () => {
    const adf = byId.get('CDe.001');
    expect(adf).toMatchObject({ kind: 'organization', programs: ['DRC'] });
    expect(adf?.names).toContain('Allied Democratic Forces');
    expect(adf?.countries).toContain('CD');
  });
});

describe('un-xml malformed input', () => {
  const doc = (body: string): string =>
    `<?xml version="1.0"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n${body}</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n`;
  const person = '<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></INDIVIDUAL>\n';

  it('fails on mismatched tags with the line', async () => {
    const err = await importError(
      importUn({ file: text(doc(person + '<INDIVIDUAL><FIRST_NAME>B</SECOND_NAME></INDIVIDUAL>\n')) }),
    );
    expect(err).toMatchObject({ part: 'file', line: 5 });
    expect(err.message).toMatch(/invalid XML/);
  });
  it('fails on a truncated file, a wrong root, a nameless record and an empty file', async () => {
    expect((await importError(importUn({ file: text(doc(person).slice(0, -30)) }))).message).toMatch(/invalid XML/);
    expect((await importError(importUn({ file: text('<export></export>') }))).message).toMatch(
      /root element must be <CONSOLIDATED_LIST>/,
    );
    expect(
      (
        await importError(
          importUn({ file: text(doc('<INDIVIDUAL><REFERENCE_NUMBER>X</REFERENCE_NUMBER></INDIVIDUAL>\n')) }),
        )
      ).line,
    ).toBe(4);
    expect((await importError(importUn({ file: text('') }))).message).toMatch(/empty/);
    expect((await importError(importUn({ file: text('not xml') }))).line).toBe(1);
  });
  it('imports a minimal list', async () => {
    expect(await collect(importUn({ file: text(doc(person)) }))).toEqual([
      { entryId: 'X.1', kind: 'person', names: ['A'], countries: [], programs: [], identifiers: [] },
    ]);
  });
});
