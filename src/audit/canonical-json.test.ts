import { canonicalJson } from './canonical-json';

/** The definition canonicalJson must keep to, byte for byte (it was the implementation until the faster one). */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const out = JSON.stringify(value);
    return out === undefined ? 'null' : out;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : reference(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key];
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${reference(v)}`);
  }
  return `{${parts.join(',')}}`;
}

function randomValue(depth: number, seed: { n: number }): unknown {
  const next = () => {
    seed.n = (seed.n * 1103515245 + 12345) % 2147483648;
    return seed.n / 2147483648;
  };
  const strings = [
    '',
    'a',
    'Zebra',
    'é',
    '\u00e9',
    'é',
    '"quoted"',
    'line\nbreak',
    '😀',
    '\ud83d\ude00x',
    'B',
    'b',
    '_',
    '10',
    '9',
    '__proto_',
  ];
  const r = next();
  if (depth > 3 || r < 0.3) {
    const leaf = [
      null,
      true,
      false,
      0,
      -0,
      1.5,
      1e21,
      -3,
      Number.NaN,
      Infinity,
      undefined,
      new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
    ];
    return next() < 0.5 ? strings[Math.floor(next() * strings.length)] : leaf[Math.floor(next() * leaf.length)];
  }
  if (r < 0.6) return Array.from({ length: Math.floor(next() * 5) }, () => randomValue(depth + 1, seed));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 6); i > 0; i -= 1)
    obj[strings[Math.floor(next() * strings.length)]] = randomValue(depth + 1, seed);
  return obj;
}

describe('canonicalJson', () => {
  it('writes the same bytes as the plain recursive definition', () => {
    const seed = { n: 42 };
    for (let i = 0; i < 5000; i += 1) {
      const v = randomValue(0, seed);
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });

  it('sorts keys by UTF-16 code units, drops undefined members, writes undefined array items and functions as null', () => {
    expect(
      canonicalJson({ b: 1, a: [undefined, () => 1], c: undefined, B: { z: null, y: new Date(0) }, '😀': 1, ﬀ: 2 }),
    ).toBe('{"B":{"y":"1970-01-01T00:00:00.000Z","z":null},"a":[null,null],"b":1,"😀":1,"ﬀ":2}'); // U+D83D sorts before U+FB00
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('x')).toBe('"x"');
  });

  it('orders the keys of objects of any width given in any order (insertion sort up to 32 keys, sort() above)', () => {
    const seed = { n: 7 };
    const next = () => {
      seed.n = (seed.n * 1103515245 + 12345) % 2147483648;
      return seed.n / 2147483648;
    };
    const names = ['a', 'B', 'b', '_', '10', '9', 'é', '😀', 'ﬀ', 'zz', 'z', 'Ä', 'aa', '', ' ', 'key'];
    for (let width = 1; width <= 48; width += 1) {
      for (let round = 0; round < 20; round += 1) {
        const keys = Array.from({ length: width }, (_, i) => `${names[Math.floor(next() * names.length)]}${i % 7}`);
        const obj: Record<string, number> = {};
        for (const k of keys.sort(() => next() - 0.5)) obj[k] = keys.length;
        expect(canonicalJson(obj)).toBe(reference(obj));
      }
    }
  });
});
