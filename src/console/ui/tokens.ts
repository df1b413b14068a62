/**
 * Lines up the two sides of a name match for display: which normalised tokens met a counterpart, how closely, and
 * which words of the names as written they correspond to. Pure: unit-tested.
 */
import type { TokenComparison } from './types';

export interface TokenView {
  text: string;
  /** 1-based number of the pair this token belongs to (shown on both sides), or null when it met nothing. */
  pair: number | null;
  similarity: number;
  note: string;
  /** The token it met on the other side. */
  other: string | null;
}

export interface Alignment {
  query: TokenView[];
  list: TokenView[];
  /** Tokens that met a counterpart, per side, for highlighting the names as written. */
  matchedQuery: Set<string>;
  matchedList: Set<string>;
}

function split(normalized: string): string[] {
  return normalized.split(/\s+/).filter(Boolean);
}

export function alignTokens(
  normalizedQuery: string,
  normalizedList: string,
  comparisons: TokenComparison[],
): Alignment {
  const pairs = comparisons.filter(
    (c) => c.queryToken !== null && c.listToken !== null && c.note !== 'missing' && c.similarity > 0,
  );
  const usedQuery = new Set<number>();
  const usedList = new Set<number>();
  const side = (tokens: string[], key: 'queryToken' | 'listToken', used: Set<number>): TokenView[] =>
    tokens.map((text) => {
      const index = pairs.findIndex((p, i) => !used.has(i) && p[key] === text);
      if (index < 0) return { text, pair: null, similarity: 0, note: 'missing', other: null };
      used.add(index);
      const p = pairs[index];
      return {
        text,
        pair: index + 1,
        similarity: p.similarity,
        note: p.note,
        other: key === 'queryToken' ? p.listToken : p.queryToken,
      };
    });
  return {
    query: side(split(normalizedQuery), 'queryToken', usedQuery),
    list: side(split(normalizedList), 'listToken', usedList),
    matchedQuery: new Set(pairs.map((p) => p.queryToken as string)),
    matchedList: new Set(pairs.map((p) => p.listToken as string)),
  };
}

/** Lower case, accents and punctuation removed: how a written word is compared with the normalised tokens. */
export function fold(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export interface Segment {
  text: string;
  match: boolean;
}

/**
 * Splits a name as written into words and the gaps between them, marking the words whose folded form is one of
 * `matched`. Names in another script than their normalised form (Cyrillic) simply show no marks here.
 */
export function highlightWords(name: string, matched: Set<string>): Segment[] {
  const segments: Segment[] = [];
  for (const part of name.split(/([\s,.;:()"'«»/-]+)/u)) {
    if (!part) continue;
    const match = matched.has(fold(part));
    const last = segments[segments.length - 1];
    if (last && last.match === match && !match) last.text += part;
    else segments.push({ text: part, match });
  }
  return segments;
}

/**
 * "items[2].manufacturer" -> "line 3 manufacturer" (the declared line number when `lineNos` is given);
 * "transitCountries[0]" -> "transit country 1"; "notifyParty" -> "notify party".
 */
export function subjectLabel(subject: string, lineNos: number[] = []): string {
  return subject
    .replace(/^items\[(\d+)\]/, (_m, i: string) => `line ${lineNos[Number(i)] ?? Number(i) + 1}`)
    .replace(/^transitCountries\[(\d+)\]/, (_m, i: string) => `transit country ${Number(i) + 1}`)
    .replace(/^invoiceNumbers\[(\d+)\]/, (_m, i: string) => `cited invoice ${Number(i) + 1}`)
    .replace(/\.identifiers\[(\d+)\]/, (_m, i: string) => ` identifier ${Number(i) + 1}`)
    .replace(/\./g, ' ')
    .replace(/([a-z])([A-Z])/g, (_m, a: string, b: string) => `${a} ${b.toLowerCase()}`);
}
