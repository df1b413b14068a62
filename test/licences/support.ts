import { randomUUID } from 'node:crypto';
import { declaration } from '../support/factories';
import { bearer, type TestService } from '../support/test-service';

/** A date `days` from today (UTC), as the registry stores validity. */
export function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The factory declarant (Kedendik Broker LLP, BIN 940140000385) holds it; microcontrollers (CHPL 8542.31) to RU or KG. */
export function licenceBody(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    number: `KZ-EXP-${randomUUID().slice(0, 8)}`,
    holder: { name: 'Kedendik Broker LLP', country: 'KZ', identifiers: [{ type: 'BIN', value: '940140000385' }] },
    hsPrefixes: ['8542.31'],
    destinationCountries: ['RU', 'KG'],
    validFrom: day(-30),
    validTo: day(335),
    limit: { quantity: 100, unit: 'pcs' },
    ...overrides,
  };
}

export async function createLicence(
  t: TestService,
  key: string,
  overrides: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  const res = await t.http
    .post('/v1/licences')
    .set(...bearer(key))
    .send(licenceBody(overrides));
  if (res.status !== 201) throw new Error(`licence creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface Line {
  lineNo?: number;
  hsCode?: string;
  description?: string;
  countryOfOrigin?: string;
  quantity?: number;
  unit?: string;
  licenceNumber?: string;
}

/** Microcontrollers (real CHPL tier-1 code 8542.31) exported from Kazakhstan to Russia; one line per given line. */
export function controlledExport(lines: Line[], overrides: Record<string, unknown> = {}) {
  return declaration({
    procedure: 'export',
    countryOfDispatch: 'KZ',
    countryOfDestination: 'RU',
    consignee: { name: 'Vostok Components', country: 'RU' },
    items: lines.map((l, i) => ({
      lineNo: l.lineNo ?? i + 1,
      hsCode: l.hsCode ?? '8542.31.000.0',
      description: l.description ?? 'Microcontrollers STM32',
      countryOfOrigin: l.countryOfOrigin ?? 'CN',
      quantity: l.quantity ?? 10,
      unit: l.unit ?? 'pcs',
      value: { amount: 5000, currency: 'USD' },
      ...(l.licenceNumber !== undefined ? { licenceNumber: l.licenceNumber } : {}),
    })),
    ...overrides,
  });
}

/** The hits as the customs authority sees them (with evidence and weights). */
export async function internalHits(t: TestService, key: string, declarationId: string): Promise<Record<string, any>[]> {
  const res = await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(key));
  if (res.status !== 200) throw new Error(`reading the declaration failed: ${res.status}`);
  return res.body.screening.hits;
}

export function rules(hits: Record<string, any>[]): string[] {
  return hits
    .filter((h) => h.kind === 'indicator' || h.kind === 'route')
    .map((h) => h.evidence?.rule)
    .sort();
}
