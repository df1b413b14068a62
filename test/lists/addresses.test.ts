import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { declaration, FIXTURES, indexed, submit, uploadList } from '../support/factories';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

/*
 * Party addresses against list addresses, through the public API. The OFAC list is a real extract: the sdn.csv and
 * add.csv rows of three entries of the SDN list of January 2019 (test/fixtures/data/entities/ofac-sdn-2019, see
 * SOURCES.md): 16274 GURGEN HOUSE FZCO (eight addresses, among them "Ulitsa Angarskaya, 22.1", "Moscow 125635"),
 * 16275 M S GROUP INVEST OOO ("9 Prospekt Universitetski", "Moscow 119296"), 7321 BENEVOLENCE INTERNATIONAL
 * FOUNDATION ("Ulitsa Oktyabr'skaya, dom. 89", "Moscow").
 */
const OFAC_DIR = join(FIXTURES, 'entities', 'ofac-sdn-2019');
const ENTRIES = new Set(['16274', '16275', '7321']);

function extract(part: 'sdn' | 'add'): Buffer {
  const lines = readFileSync(join(OFAC_DIR, `${part}.csv`), 'latin1').split(/\r?\n/);
  return Buffer.from(lines.filter((l) => ENTRIES.has(l.split(',')[0])).join('\r\n'), 'latin1');
}

interface HitBody {
  kind: string;
  subject: string;
  score: number;
  listId?: string;
  entryId?: string;
  explanation: string;
  evidence?: Record<string, any>;
}

describe('addresses: declared party addresses against list addresses', () => {
  let t: TestService;
  let broker: string;
  let reviewer: string;
  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker', 'acme-brokers');
    reviewer = await t.key('reviewer', 'customs-authority');
    const v = await uploadList(t.http, t.adminKey, 'ofac-sdn', 'ofac-sdn-csv', {
      sdn: extract('sdn'),
      add: extract('add'),
    });
    await indexed(t.service, 'ofac-sdn', v.id);
    // An in-house list whose address is written in Cyrillic, as a Russian registry prints it.
    const csv =
      'id,name,kind,countries,programs,addresses\nW-7,"ООО Восток Компонент",organization,RU,INTERNAL,"Б-Р ЧЕРНОМОРСКИЙ Д. 17 К. 1, Г.МОСКВА, 117452"\n';
    const w = await uploadList(t.http, t.adminKey, 'watch', 'entities-csv', { file: Buffer.from(csv) }, 'entities');
    await indexed(t.service, 'watch', w.id);
  }, 120000);
  afterAll(() => t.close());

  async function screen(consignee: { name: string; address?: string }) {
    const res = await submit(t.http, broker, declaration({ consignee: { country: 'KZ', ...consignee } }));
    expect(res.status).toBe(201);
    return res.body as { id: string; screening: { outcome: string; riskScore: number; hits: HitBody[] } };
  }
  const listedAddressHits = (hits: HitBody[]) =>
    hits.filter((h) => h.kind === 'indicator' && h.evidence?.rule === 'listed-address');

  it('raises an explained REVIEW indicator when the consignee, under another name, declares a listed specific address', async () => {
    const body = await screen({
      name: 'Angara Logistics LLP',
      address: '125635, г. Москва, ул. Ангарская, д. 22, стр. 1',
    });
    expect(body.screening.outcome).toBe('REVIEW');
    expect(body.screening.hits.filter((h) => h.kind === 'party')).toEqual([]);
    const [hit, ...more] = listedAddressHits(body.screening.hits);
    expect(more).toEqual([]);
    expect(hit).toMatchObject({ subject: 'consignee.address', listId: 'ofac-sdn', entryId: '16274' });
    expect(hit.explanation).toContain('GURGEN HOUSE FZCO');
    expect(hit.explanation).toContain('Ulitsa Angarskaya, 22.1');
    expect(hit.explanation).toContain('same house number 22');

    // Reviewers see the comparison behind it; the broker's view does not carry it (only the public explanation).
    expect(hit.evidence?.address).toBeUndefined();
    const internal = await t.http.get(`/v1/declarations/${body.id}`).set(...bearer(reviewer));
    expect(internal.status).toBe(200);
    const full = listedAddressHits(internal.body.screening.hits)[0];
    expect(full.evidence?.address).toMatchObject({
      level: 'building',
      listed: { street: 'Ulitsa Angarskaya, 22.1', city: 'Moscow 125635', country: 'RU' },
    });
    expect(full.evidence?.address.declaredParsed).toContain('street angarskaya');
  });

  it('matches a Latin declared address to a Cyrillic listed one, and the other way round', async () => {
    const latin = await screen({ name: 'Black Sea Parts LLP', address: 'Chernomorsky Blvd 17, bldg 1, Moscow 117452' });
    expect(listedAddressHits(latin.screening.hits).map((h) => `${h.listId}:${h.entryId}`)).toEqual(['watch:W-7']);
    const cyrillic = await screen({ name: 'Университет Трейд', address: 'Москва, Университетский проспект, 9' });
    expect(listedAddressHits(cyrillic.screening.hits).map((h) => `${h.listId}:${h.entryId}`)).toEqual([
      'ofac-sdn:16275',
    ]);
    expect(cyrillic.screening.outcome).toBe('REVIEW');
  });

  it('raises nothing for the same city only, or the same street with another house number', async () => {
    for (const address of [
      'г. Москва',
      'Moscow 125635, Russia',
      'г. Москва, ул. Ангарская, д. 40',
      'ул. Октябрьская, д. 12, г. Москва',
    ]) {
      const body = await screen({ name: 'Angara Logistics LLP', address });
      expect(listedAddressHits(body.screening.hits)).toEqual([]);
      expect(body.screening.outcome).toBe('CLEAR');
    }
  });

  it('raises a name match by a bounded amount when the address is the listed one, and says so', async () => {
    const without = await screen({ name: 'Gurgen Hous' });
    const withAddress = await screen({ name: 'Gurgen Hous', address: 'ул. Ангарская, д. 22, г. Москва' });
    const before = without.screening.hits.find((h) => h.kind === 'party' && h.entryId === '16274')!;
    const after = withAddress.screening.hits.find((h) => h.kind === 'party' && h.entryId === '16274')!;
    expect(before.score).toBeGreaterThanOrEqual(0.85);
    expect(after.score).toBeGreaterThan(before.score);
    expect(after.score - before.score).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(before.explanation).not.toContain('listed address');
    expect(after.explanation).toContain(
      'is the listed address "Ulitsa Angarskaya, 22.1, Moscow 125635, RU" (same street and house number',
    );
    // The same entry is not reported twice: the address is part of the name match's hit, not an indicator of its own.
    expect(listedAddressHits(withAddress.screening.hits)).toEqual([]);
    const internal = await t.http.get(`/v1/declarations/${withAddress.id}`).set(...bearer(reviewer));
    const party = internal.body.screening.hits.find((h: HitBody) => h.kind === 'party' && h.entryId === '16274');
    expect(party.evidence.match.adjustments).toContainEqual({
      reason: expect.stringContaining('listed address "Ulitsa Angarskaya, 22.1'),
      delta: expect.any(Number),
    });
    expect(party.evidence.address).toMatchObject({ level: 'building', boost: expect.any(Number) });
  });

  it('leaves a name match alone when the declared address is elsewhere', async () => {
    const elsewhere = await screen({ name: 'Gurgen Hous', address: 'ул. Ангарская, д. 40, г. Москва' });
    const without = await screen({ name: 'Gurgen Hous' });
    const score = (b: typeof without) =>
      b.screening.hits.find((h) => h.kind === 'party' && h.entryId === '16274')!.score;
    expect(score(elsewhere)).toBe(score(without));
  });

  it('re-screens a cleared declaration when a new list version gives a listed entry the declared address', async () => {
    const house = (addresses: string) =>
      Buffer.from(
        `id,name,kind,countries,programs,addresses\nH-1,"Taiga Components OOO",organization,RU,INTERNAL,"${addresses}"\n`,
      );
    const rescreenOf = (versionId: string) =>
      eventually(async () => {
        const v = await t.http.get(`/v1/lists/house/versions/${versionId}`).set(...bearer(t.adminKey));
        return v.body.rescreen?.status === 'completed' ? v.body.rescreen : undefined;
      }, 30000);
    const v1 = await uploadList(t.http, t.adminKey, 'house', 'entities-csv', { file: house('г. Москва') }, 'entities');
    await rescreenOf(v1.id);
    const address = 'Kazan, Pushkina street 5, 420111';
    const cleared = await screen({ name: 'Volga Spare Parts LLP', address });
    expect(cleared.screening.outcome).toBe('CLEAR');
    await t.service.db.dataSource.query(
      `UPDATE declarations SET created_at = now() - interval '1 day', updated_at = now() - interval '1 day' WHERE id = $1`,
      [cleared.id],
    );

    const v2 = await uploadList(
      t.http,
      t.adminKey,
      'house',
      'entities-csv',
      { file: house('420111, г. Казань, ул. Пушкина, д. 5') },
      'entities',
    );
    expect(await rescreenOf(v2.id)).toMatchObject({ deltaEntries: 1, flagged: 1 });
    const flagged = await t.http.get(`/v1/declarations/${cleared.id}`).set(...bearer(reviewer));
    expect(flagged.body).toMatchObject({
      status: 'under_review',
      screening: { trigger: 'rescreen', outcome: 'REVIEW' },
    });
    expect(listedAddressHits(flagged.body.screening.hits).map((h) => `${h.listId}:${h.entryId}`)).toEqual([
      'house:H-1',
    ]);
  });
});
