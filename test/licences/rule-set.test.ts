import { join } from 'node:path';
import { submit } from '../support/factories';
import { declaration } from '../support/factories';
import { bearer, startTestService, type TestService } from '../support/test-service';
import { controlledExport, internalHits, rules } from './support';

const TARIFF = join(__dirname, '..', 'fixtures', 'tariff', 'national-tariff-sample.csv');

describe('rule set: outcome overrides, diversion hubs, the origin ban on imports, national tariff codes', () => {
  let t: TestService;
  let broker: string;
  let reviewer: string;

  async function screened(body: Record<string, unknown>) {
    const res = await submit(t.http, broker, body);
    expect(res.status).toBe(201);
    return { answer: res.body, hits: await internalHits(t, reviewer, res.body.id) };
  }

  beforeAll(async () => {
    t = await startTestService({ NATIONAL_TARIFF_FILE: TARIFF });
    broker = await t.key('broker', 'acme-brokers');
    reviewer = await t.key('reviewer', 'customs-authority');
  }, 90000);
  afterAll(() => t.close());

  it('BLOCKs controlled goods made in an export-ban country declared onward to a high-risk or diversion-hub destination (default override)', async () => {
    for (const [procedure, destination] of [
      ['export', 'RU'],
      ['transit', 'RU'],
      ['export', 'AM'],
      ['export', 'KG'],
    ]) {
      const { answer, hits } = await screened(
        controlledExport([{ countryOfOrigin: 'DE' }], { procedure, countryOfDestination: destination }),
      );
      expect(answer.screening.outcome).toBe('BLOCK');
      expect(answer.status).toBe('under_review');
      expect(hits.find((h) => h.evidence?.rule === 'restricted-origin-reexport')).toMatchObject({
        evidence: { outcomeOverride: 'BLOCK', countryOfOrigin: 'DE' },
      });
    }
    // Elsewhere the same goods are scored as before (goods 30 + restricted origin 35): a review, not a block.
    const { answer, hits } = await screened(
      controlledExport([{ countryOfOrigin: 'DE' }], {
        countryOfDestination: 'CN',
        consignee: { name: 'Shenzhen Parts Co', country: 'CN' },
      }),
    );
    expect(answer.screening).toMatchObject({ outcome: 'REVIEW', riskScore: 65 });
    expect(
      hits.find((h) => h.evidence?.rule === 'restricted-origin-reexport')!.evidence.outcomeOverride,
    ).toBeUndefined();
  });

  it('raises a diversion-hub route hit for controlled goods to or through a hub, not for other goods', async () => {
    const toHub = await screened(
      controlledExport([{}], { countryOfDestination: 'AM', consignee: { name: 'Yerevan Trade LLC', country: 'AM' } }),
    );
    expect(toHub.answer.screening).toMatchObject({ outcome: 'REVIEW', riskScore: 55 });
    expect(toHub.hits.find((h) => h.evidence?.rule === 'diversion-hub')).toMatchObject({
      kind: 'route',
      subject: 'countryOfDestination',
      matched: 'AM',
      weight: 25,
    });
    const through = await screened(
      controlledExport([{}], { countryOfDestination: 'CN', transitCountries: ['KG', 'CN'] }),
    );
    expect(through.hits.find((h) => h.evidence?.rule === 'diversion-hub')).toMatchObject({
      subject: 'transitCountries[0]',
      matched: 'KG',
    });
    const furniture = await screened(
      declaration({ procedure: 'export', countryOfDispatch: 'KZ', countryOfDestination: 'AM' }),
    );
    expect(rules(furniture.hits)).not.toContain('diversion-hub');
    expect(furniture.answer.screening.outcome).toBe('CLEAR');
  });

  it('explains an import of controlled goods made in an export-ban country (how re-export stock is built up)', async () => {
    const base = {
      procedure: 'import',
      countryOfDispatch: 'TR',
      countryOfDestination: 'KZ',
      consignee: { name: 'Astana Interiors LLP', country: 'KZ' },
    };
    const { answer, hits } = await screened(controlledExport([{ countryOfOrigin: 'DE' }], base));
    const hit = hits.find((h) => h.evidence?.rule === 'restricted-origin-import')!;
    expect(hit).toMatchObject({ kind: 'route', severity: 'medium', subject: 'items[0]', matched: 'DE', weight: 15 });
    expect(hit.explanation).toContain('may later be re-exported');
    expect(answer.screening).toMatchObject({ outcome: 'REVIEW', riskScore: 45 });
    expect(rules(hits)).not.toContain('restricted-origin-reexport');
    const chinese = await screened(controlledExport([{ countryOfOrigin: 'CN' }], base));
    expect(rules(chinese.hits)).not.toContain('restricted-origin-import');
  });

  it('checks codes past six digits against NATIONAL_TARIFF_FILE when configured', async () => {
    const known = await screened(
      controlledExport([{ hsCode: '8542.31.000.0' }, { hsCode: '8542.31.00' }, { hsCode: '8542.31' }], {
        countryOfDestination: 'CN',
      }),
    );
    expect(rules(known.hits)).not.toContain('unknown-national-code');
    const unknown = await screened(controlledExport([{ hsCode: '8542.31.999.9' }], { countryOfDestination: 'CN' }));
    const hit = unknown.hits.find((h) => h.evidence?.rule === 'unknown-national-code');
    expect(hit).toMatchObject({ kind: 'indicator', subject: 'items[0]', matched: '8542319999', weight: 10 });
    // Brokers are told which code, in public terms.
    expect(
      unknown.answer.screening.hits.find(
        (h: { evidence?: { rule?: string } }) => h.evidence?.rule === 'unknown-national-code',
      ).evidence.hsCode,
    ).toBe('8542319999');
    const res = await t.http.get(`/v1/declarations/${unknown.answer.id}`).set(...bearer(broker));
    expect(
      res.body.screening.hits.find(
        (h: { evidence?: { rule?: string } }) => h.evidence?.rule === 'unknown-national-code',
      ).evidence.nomenclature,
    ).toBeUndefined();
  });
});
