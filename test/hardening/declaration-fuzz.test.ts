import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { declaration } from '../support/factories';
import { bearer, startTestService, type TestService } from '../support/test-service';

/**
 * Property: no body POSTed to /v1/declarations gets a 5xx. Bodies are a valid declaration with one to three fields
 * replaced by hostile values (strings with control characters and lone surrogates, huge or odd numbers, wrong types,
 * deep structures), plus wholly random JSON. Any 4xx or a 201 is fine; a 5xx fails with the shrunk counterexample.
 */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const anyCodePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
const hostileString = fc.oneof(
  fc.string({ unit: fc.oneof(anyCodePoint, loneSurrogate, control), maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.constantFrom('', ' ', '\u0000', 'RU', '8542.31', '8542\u00003100', '0'.repeat(5000), 'USD', 'import'),
);
const hostileNumber = fc.oneof(
  fc.double(), // NaN and ±Infinity become null in JSON
  fc.constantFrom(0, -0, -1, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 2 ** 63, 1e21, 0.1),
  fc.integer(),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(null, true, false, [], {}),
  fc.array(hostileString, { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 4 }),
);

/** Every path (object key or array index) in a valid declaration, as key lists. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (!value || typeof value !== 'object') return [prefix];
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, Array.isArray(value) ? Number(k) : k]));
  return out;
}

const TEMPLATE = declaration({
  notifyParty: {
    name: 'Notify Ltd',
    country: 'KZ',
    address: 'Almaty',
    identifiers: [{ type: 'BIN', value: '940140000385' }],
  },
  transitCountries: ['UZ'],
});
const PATHS = [...paths(TEMPLATE), ['extra'], ['items', 0, 'extra'], ['items', 5]];

function setAt(target: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let node: any = target;
  for (const key of path.slice(0, -1)) {
    if (!node || typeof node !== 'object') return;
    node = node[key];
  }
  if (node && typeof node === 'object') node[path[path.length - 1]] = value;
}

function withEdits(edits: [(string | number)[], unknown][]): unknown {
  const body = structuredClone(TEMPLATE) as Record<string, unknown>;
  body.reference = `FUZZ-${randomUUID().slice(0, 8)}`;
  for (const [path, value] of edits) setAt(body, path, value);
  return body;
}

const mutated = fc
  .array(fc.tuple(fc.constantFrom(...PATHS), hostileValue), { minLength: 1, maxLength: 3 })
  .map(withEdits);
/** Numbers in the numeric fields only: these bodies pass the schema often, so huge values reach the database. */
const NUMERIC_PATHS = PATHS.filter(
  (p) =>
    typeof p[p.length - 1] === 'string' &&
    ['lineNo', 'quantity', 'netMassKg', 'amount'].includes(p[p.length - 1] as string),
);
const numeric = fc
  .array(fc.tuple(fc.constantFrom(...NUMERIC_PATHS), hostileNumber), { minLength: 1, maxLength: 3 })
  .map(withEdits);

const body = fc.oneof(
  { weight: 2, arbitrary: numeric },
  { weight: 4, arbitrary: mutated },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 6 }) },
);

describe('POST /v1/declarations under generated input', () => {
  let t: TestService;
  let broker: string;
  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker');
  });
  afterAll(() => t?.close());

  it('never answers 5xx, whatever the body', async () => {
    const seen: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const res = await t.http
          .post('/v1/declarations')
          .set(...bearer(broker))
          .set('Idempotency-Key', randomUUID())
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(value));
        seen[res.status] = (seen[res.status] ?? 0) + 1;
        if (res.status >= 500) throw new Error(`${res.status}: ${JSON.stringify(res.body)}`);
        if (res.status >= 400) expect(res.headers['content-type']).toContain('application/problem+json');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), interruptAfterTimeLimit: 120_000 },
    );
    // Both paths were exercised: some generated bodies were refused and the mildest ones were accepted.
    expect(Object.keys(seen).some((s) => Number(s) >= 400)).toBe(true);
    console.log(`statuses: ${JSON.stringify(seen)}`);
  }, 180_000);
});
