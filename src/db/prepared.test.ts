import { arrayLiteral } from './prepared';

// pg's own serialisation of a parameter (what it would send without arrayLiteral).

const { prepareValue } = require('pg/lib/utils') as { prepareValue: (v: unknown) => unknown };

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'ACME',
  'ООО «Ромашка»',
  '"',
  '\\',
  ',',
  '{',
  '}',
  ' ',
  'NULL',
  '',
  'ǅ',
  '\u00e9',
  'a"b\\c',
  '😀',
  '\n',
];

describe('arrayLiteral (array parameters of prepared statements)', () => {
  it('gives the array literal pg would send, byte for byte, for 20,000 arrays of strings, numbers, booleans and nulls', () => {
    const next = rng(15);
    const differ: string[] = [];
    for (let n = 0; n < 20_000; n += 1) {
      const length = Math.floor(next() * 8);
      const arr: unknown[] = [];
      for (let i = 0; i < length; i += 1) {
        const kind = next();
        if (kind < 0.6) {
          let s = '';
          const parts = Math.floor(next() * 4);
          for (let p = 0; p < parts; p += 1) s += PIECES[Math.floor(next() * PIECES.length)];
          arr.push(s);
        } else if (kind < 0.75) arr.push(Math.floor((next() - 0.5) * 1e6) / (next() < 0.5 ? 1 : 7));
        else if (kind < 0.8) arr.push(next() < 0.5);
        else if (kind < 0.85) arr.push(BigInt(Math.floor(next() * 1e9)));
        else if (kind < 0.95) arr.push(null);
        else arr.push(undefined);
      }
      if (arrayLiteral(arr) !== prepareValue(arr)) differ.push(JSON.stringify(arr, (_k, v) => String(v)));
    }
    expect(differ).toEqual([]);
  });

  it('keeps the edge cases pg has: empty arrays, holes, -0, NaN and numbers in exponent form', () => {
    for (const arr of [[], [, 'a'], [-0, NaN, 1e21, 1e-7, Infinity], ['', ''], [null], ['"'], ['\\']])
      expect(arrayLiteral(arr)).toBe(prepareValue(arr));
  });

  it('leaves every other value to pg: scalars, nested arrays, dates, buffers and objects', () => {
    const others: unknown[] = ['text', 7, null, [['a']], [new Date(0)], [Buffer.from('x')], [{ a: 1 }], new Date(0)];
    for (const v of others) expect(arrayLiteral(v)).toBe(v);
  });
});
