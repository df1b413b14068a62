/**
 * Canonical JSON: object keys sorted (by UTF-16 code units), no whitespace, arrays in order. Two equal values always
 * serialise to the same bytes, which is what a hash chain needs. `undefined` members are dropped, like JSON.stringify.
 *
 * Written as one string built by appending (no per-level arrays, maps and joins) because it runs for every submission
 * (the idempotency hash of the body) and for every audit event the sealer chains. Its output is byte-for-byte that of
 * the plain recursive definition (canonical-json.test.ts holds both to it); quoted property names are memoised, since
 * the same few dozen names recur in every body.
 */
const quotedKeys = new Map<string, string>();
const MAX_QUOTED_KEYS = 10_000;

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** Insertion sort of `keys`, whose first `sorted` entries are already in order. */
function sortInPlace(keys: string[], sorted: number): void {
  for (let i = sorted; i < keys.length; i += 1) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j -= 1;
    }
    keys[j + 1] = key;
  }
}

function append(out: string, value: unknown): string {
  if (value === null) return `${out}null`;
  switch (typeof value) {
    case 'string':
      return out + JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'bigint':
      return out + JSON.stringify(value);
    case 'object':
      break;
    default: {
      // undefined, functions and symbols: JSON.stringify gives undefined, written as null.
      const s = JSON.stringify(value);
      return out + (s === undefined ? 'null' : s);
    }
  }
  if (value instanceof Date) return out + JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    out += '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      const v = value[i];
      out = v === undefined ? `${out}null` : append(out, v);
    }
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  // Most objects are built with their keys already in order: only sort when they are not. A request body's objects
  // come in the client's order and have a handful of keys: an insertion sort in place (comparing UTF-16 code units,
  // as sort() does) allocates nothing, where sort() copies the array into a work area of its own.
  for (let i = 1; i < keys.length; i += 1) {
    if (keys[i - 1] > keys[i]) {
      if (keys.length > 32) keys.sort();
      else sortInPlace(keys, i);
      break;
    }
  }
  out += '{';
  let first = true;
  for (const key of keys) {
    const v = obj[key];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out = append(`${out}${quoteKey(key)}:`, v);
  }
  return `${out}}`;
}

export function canonicalJson(value: unknown): string {
  return append('', value);
}
