import { join } from 'node:path';
import { declaration, FIXTURES, submit, uploadList } from '../support/factories';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

const ZALA = join(FIXTURES, 'entities', 'opensanctions', 'yente_zala_cluster_entities.ftm.json');
const SYNTHETIC = join(__dirname, '..', 'fixtures', 'lists', 'ownership', 'synthetic-chains.ftm.json');
const SYNTHETIC_V2 = join(__dirname, '..', 'fixtures', 'lists', 'ownership', 'synthetic-chains-v2.ftm.json');
const SPS = 'NK-9Xa4Kg7Y7nfccE7VcZt6Q6';

interface HitBody {
  id: string;
  kind: string;
  severity: string;
  score: number;
  listId?: string;
  entryId?: string;
  explanation: string;
  evidence?: Record<string, any>;
}

describe('ownership and control: the 50% rule through the API', () => {
  let t: TestService;
  let broker: string;
  let reviewer: string;

  /** Submits a declaration whose consignee is `consignee`; returns the broker's answer and the reviewer's view of it. */
  async function screen(consignee: Record<string, unknown>) {
    const res = await submit(t.http, broker, declaration({ consignee }));
    expect(res.status).toBe(201);
    const internal = await t.http.get(`/v1/declarations/${res.body.id}`).set(...bearer(reviewer));
    expect(internal.status).toBe(200);
    const hits: HitBody[] = internal.body.screening.hits.filter((h: HitBody) => h.kind === 'party');
    return {
      broker: res.body,
      outcome: internal.body.screening.outcome as string,
      hits,
      owned: hits.filter((h) => h.evidence?.rule === 'owned-or-controlled'),
    };
  }

  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker', 'acme-brokers');
    reviewer = await t.key('reviewer', 'authority');
    await uploadList(t.http, t.adminKey, 'os-zala', 'ftm-jsonl', { file: ZALA }, 'entities');
    await uploadList(t.http, t.adminKey, 'syn-own', 'ftm-jsonl', { file: SYNTHETIC }, 'entities');
  }, 120000);
  afterAll(() => t.close());

  it('OOO "СПС" by its INN: not a listed entity, but a hit because a listed person owns 75% of it, explained that way', async () => {
    const r = await screen({ name: 'OOO "SPS"', country: 'RU', identifiers: [{ type: 'INN', value: '9715374145' }] });
    // Before issue 13 this was a decisive "identifier equals the list's innCode" hit on the context record itself.
    expect(r.hits.filter((h) => h.entryId === SPS && h.evidence?.rule !== 'owned-or-controlled')).toEqual([]);
    expect(r.owned).toHaveLength(1);
    const [hit] = r.owned;
    expect(hit).toMatchObject({ kind: 'party', listId: 'os-zala', entryId: SPS, score: 1, severity: 'critical' });
    expect(hit.explanation).toContain(
      'consignee "OOO "SPS"" has the identifier of os-zala entry NK-9Xa4Kg7Y7nfccE7VcZt6Q6',
    );
    expect(hit.explanation).toContain('owned 75% by Aleksandr Vyacheslavovich Zakharov (listed on os-zala');
    expect(hit.evidence).toMatchObject({
      basis: 'owned',
      share: 0.75,
      blocking: true,
      paths: [{ share: 0.75, steps: [{ entryId: 'NK-aU5ybkbRFJucf8YMwsJvDw', percentage: 75 }] }],
    });
    expect(r.outcome).toBe('BLOCK');
    // The broker gets the same answer and the explanation, not the internal evidence (shares, paths, weights).
    const brokerHit = r.broker.screening.hits.find((h: HitBody) => h.id === hit.id);
    expect(brokerHit).toMatchObject({ explanation: hit.explanation, evidence: { rule: 'owned-or-controlled' } });
    expect(brokerHit.evidence.paths).toBeUndefined();
    expect(brokerHit.weight).toBeUndefined();
  });

  it('a context record is matchable but never a match by itself: /v1/screen/parties leaves it out, a listed company stays in', async () => {
    const res = await t.http
      .post('/v1/screen/parties')
      .set(...bearer(broker))
      .send({
        parties: [
          { name: 'X', identifiers: [{ type: 'INN', value: '9715374145' }] },
          { name: 'X', identifiers: [{ type: 'OGRN', value: '1101841007938' }] },
        ],
      });
    expect(res.status).toBe(200);
    expect(res.body.results[0].matches).toEqual([]);
    expect(res.body.results[1].matches).toEqual([
      expect.objectContaining({ listId: 'os-zala', entryId: 'NK-abdzbEBkqyT29GyREbiURZ' }),
    ]);
  });

  it('an ownership record without a percentage is a REVIEW-level "controlled by" hit (ИЖТЕЛЕКОМ, real data)', async () => {
    const r = await screen({
      name: 'OOO Izhtelekom',
      country: 'RU',
      identifiers: [{ type: 'INN', value: '1835045074' }],
    });
    expect(r.owned).toEqual([expect.objectContaining({ entryId: 'NK-56Edov9bas9puzaChH5pBy', severity: 'medium' })]);
    expect(r.owned[0].explanation).toContain('owned (share not stated) by Aleksandr Vyacheslavovich Zakharov');
    expect(r.owned[0].evidence).toMatchObject({ basis: 'controlled', blocking: false });
    expect(r.hits).toHaveLength(1);
    expect(r.outcome).toBe('REVIEW');
  });

  it('direct 50% -> owned, BLOCK', async () => {
    const r = await screen({ name: 'Severny Potok Trading LLC', country: 'RU' });
    expect(r.hits).toHaveLength(1);
    expect(r.owned[0]).toMatchObject({
      entryId: 'syn-c-direct50',
      severity: 'critical',
      evidence: { basis: 'owned', share: 0.5, blocking: true },
    });
    expect(r.owned[0].explanation).toContain('owned 50% by Ostap Verkhovodov (listed on syn-own: SYN-PROGRAM)');
    expect(r.outcome).toBe('BLOCK');
  });

  it('the same entity by its registration number -> the same owned hit', async () => {
    const r = await screen({ name: 'SP Trading', country: 'RU', identifiers: [{ type: 'OTHER', value: 'SYN-0050' }] });
    expect(r.owned).toEqual([expect.objectContaining({ entryId: 'syn-c-direct50', score: 1 })]);
    expect(r.outcome).toBe('BLOCK');
  });

  it('two listed owners of 25% each -> owned 50% in aggregate, both named', async () => {
    const r = await screen({ name: 'Kaskad Logistik Partners LLC', country: 'RU' });
    expect(r.owned[0]).toMatchObject({ entryId: 'syn-c-two25', evidence: { basis: 'owned', share: 0.5 } });
    expect(r.owned[0].explanation).toMatch(
      /owned 50% in aggregate by listed parties: 25% by (Ostap Verkhovodov|Ilya Zamyatkin).*; 25% by (Ostap Verkhovodov|Ilya Zamyatkin)/,
    );
    expect(r.outcome).toBe('BLOCK');
  });

  it('a chain of 60% x 90% -> 54%, with the path; the owner is debarred, so the severity is the rule set\'s "high"', async () => {
    const r = await screen({ name: 'Pribrezhny Komponent Zavod LLC', country: 'RU' });
    expect(r.owned[0]).toMatchObject({
      entryId: 'syn-c-chain54',
      severity: 'high',
      evidence: { basis: 'owned', share: 0.54 },
    });
    expect(r.owned[0].explanation).toContain(
      '60% by Vostok Holding Group LLC, itself 90% owned by Gleb Tarkhanov (listed on syn-own: debarment) = 54%',
    );
    expect(r.outcome).toBe('BLOCK');
  });

  it('49% -> no hit; a cycle A <-> B with a 30% listed holder terminates with no hit', async () => {
    const under = await screen({ name: 'Ural Spektr Instruments LLC', country: 'RU' });
    expect(under.hits).toEqual([]);
    expect(under.outcome).toBe('CLEAR');
    const cycle = await screen({ name: 'Alfa Tsiklon Metall LLC', country: 'RU' });
    expect(cycle.hits).toEqual([]);
    expect(cycle.outcome).toBe('CLEAR');
  });

  it('unknown percentage and a directorship -> REVIEW "controlled by" / "run by"', async () => {
    const unknown = await screen({ name: 'Magistral Servis Yug LLC', country: 'RU' });
    expect(unknown.owned[0]).toMatchObject({
      entryId: 'syn-c-unknown',
      severity: 'medium',
      evidence: { basis: 'controlled', blocking: false },
    });
    expect(unknown.owned[0].explanation).toContain('owned (share not stated) by Gleb Tarkhanov');
    expect(unknown.outcome).toBe('REVIEW');
    const directed = await screen({ name: 'Tekhnopark Nord Optika LLC', country: 'RU' });
    expect(directed.owned[0].explanation).toContain(
      'run by Ostap Verkhovodov (listed on syn-own: SYN-PROGRAM) [General Director]',
    );
    expect(directed.outcome).toBe('REVIEW');
  });

  it('an OFAC "Linked To:" remark is a REVIEW-level "linked to" hit beside the direct hit on the designated entity', async () => {
    const sdn = [
      '900001,"ZARNITSA LISTED HOLDING",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
      '900002,"KVARTSIT FRONT TRADING",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Registration Number 7700111 (Russia); Linked To: ZARNITSA LISTED HOLDING."',
    ].join('\n');
    await uploadList(t.http, t.adminKey, 'syn-ofac', 'ofac-sdn-csv', { sdn: Buffer.from(sdn) }, 'entities');
    const r = await screen({ name: 'Kvartsit Front Trading', country: 'RU' });
    expect(r.hits.map((h) => [h.entryId, h.evidence?.rule ?? 'match'])).toEqual(
      expect.arrayContaining([
        ['900002', 'match'],
        ['900002', 'owned-or-controlled'],
      ]),
    );
    const linked = r.owned.find((h) => h.listId === 'syn-ofac')!;
    expect(linked).toMatchObject({ severity: 'medium', evidence: { basis: 'controlled', blocking: false } });
    expect(linked.explanation).toContain(
      'linked to ZARNITSA LISTED HOLDING (listed on syn-ofac: RUSSIA-EO14024) [Linked To: ZARNITSA LISTED HOLDING]',
    );
    // The direct hit on the listed entity still decides: BLOCK.
    expect(r.outcome).toBe('BLOCK');
  });

  it('stores the graph with its list version, and a version that only changes the graph re-screens the declarations that matched the entity', async () => {
    const ds = t.service.db.dataSource;
    const before = await screen({ name: 'Ural Spektr Instruments LLC', country: 'RU' });
    expect(before.outcome).toBe('CLEAR');
    const v2 = await uploadList(t.http, t.adminKey, 'syn-own', 'ftm-jsonl', { file: SYNTHETIC_V2 });
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM entity_links WHERE version_id = $1`, [v2.id]);
    expect(n).toBe(11);
    const run = await eventually(async () => {
      const v = await t.http.get(`/v1/lists/syn-own/versions/${v2.id}`).set(...bearer(t.adminKey));
      return v.body.rescreen?.status === 'completed' ? v.body.rescreen : undefined;
    }, 60000);
    // No entry changed: the delta is the entity whose aggregate share moved from 49% to 51%.
    expect(run.deltaEntries).toBe(1);
    expect(run.flagged).toBeGreaterThanOrEqual(1);
    const after = await t.http.get(`/v1/declarations/${before.broker.id}`).set(...bearer(reviewer));
    expect(after.body.screening).toMatchObject({ trigger: 'rescreen', outcome: 'BLOCK' });
    expect(after.body.screening.hits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          entryId: 'syn-c-under49',
          evidence: expect.objectContaining({ rule: 'owned-or-controlled', share: 0.51 }),
        }),
      ]),
    );
  });
});
