import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type TestAgent from 'supertest/lib/agent';
import { bearer, eventually } from './test-service';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'data');

/** A valid, unremarkable declaration (Kazakh import of furniture from Turkey); override any field. */
export function declaration(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    reference: `REF-${randomUUID().slice(0, 8)}`,
    procedure: 'import',
    declarant: { name: 'Kedendik Broker LLP', country: 'KZ', identifiers: [{ type: 'BIN', value: '940140000385' }] },
    consignor: { name: 'Anadolu Mobilya Sanayi A.S.', country: 'TR' },
    consignee: { name: 'Astana Interiors LLP', country: 'KZ' },
    countryOfDispatch: 'TR',
    countryOfDestination: 'KZ',
    items: [
      {
        lineNo: 1,
        hsCode: '9403.60',
        description: 'Wooden office desks',
        countryOfOrigin: 'TR',
        quantity: 40,
        unit: 'pcs',
        netMassKg: 1200,
        value: { amount: 18000, currency: 'USD' },
      },
    ],
    ...overrides,
  };
}

export function submit(http: TestAgent, key: string, body: unknown, idempotencyKey: string = randomUUID()) {
  return http
    .post('/v1/declarations')
    .set(...bearer(key))
    .set('Idempotency-Key', idempotencyKey)
    .send(body as object);
}

/** Uploads a list version through the API and waits until it is active (or fails the test). */
export async function uploadList(
  http: TestAgent,
  adminKey: string,
  listId: string,
  format: string,
  parts: Record<string, Buffer | string>,
  kind?: string,
) {
  let req = http
    .post(`/v1/lists/${listId}/versions`)
    .set(...bearer(adminKey))
    .field('format', format);
  if (kind) req = req.field('kind', kind);
  for (const [name, content] of Object.entries(parts)) {
    req = req.attach(name, typeof content === 'string' ? readFileSync(content) : content, `${name}.dat`);
  }
  const res = await req;
  if (res.status !== 202) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return eventually(async () => {
    const v = await http.get(`/v1/lists/${listId}/versions/${res.body.versionId}`).set(...bearer(adminKey));
    if (v.body.status === 'failed') throw new Error(`import failed: ${v.body.error}`);
    return v.body.status === 'active' ? v.body : undefined;
  }, 60000);
}

export const OFAC_2019 = {
  sdn: join(FIXTURES, 'entities', 'ofac-sdn-2019', 'sdn.csv'),
  alt: join(FIXTURES, 'entities', 'ofac-sdn-2019', 'alt.csv'),
  add: join(FIXTURES, 'entities', 'ofac-sdn-2019', 'add.csv'),
};

/** Waits until this process's reference index serves the list version. */
export async function indexed(
  service: { lists: { index: { versions(): Record<string, string> } } },
  listId: string,
  versionId: string,
) {
  await eventually(async () => service.lists.index.versions()[listId] === versionId, 20000);
}
