/**
 * Name normalisation shared by the index (list side) and the query side: both must go through the very same
 * steps, or a name would not match itself.
 */
import { transliterate } from './transliterate';

/**
 * Latin letters that NFKD does not decompose, or whose decomposition loses the sound: Czech/Slovak/Polish
 * romanisations of Russian names write ч/ш/ж as č/š/ž, and stripping the caron would turn "Vjačeslavovič" into
 * "vjaceslavovic" instead of the "vyacheslavovich" the English lists print.
 */
const LATIN_SPECIAL: Record<string, string> = {
  č: 'ch', Č: 'Ch', ć: 'ch', Ć: 'Ch', š: 'sh', Š: 'Sh', ž: 'zh', Ž: 'Zh', ż: 'zh', Ż: 'Zh',
  ś: 's', Ś: 'S', ź: 'z', Ź: 'Z', ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE',
  ß: 'ss', đ: 'dj', Đ: 'Dj', ð: 'd', Ð: 'D', þ: 'th', Þ: 'Th', ı: 'i', ŀ: 'l',
};
const LATIN_SPECIAL_RE = /[čČćĆšŠžŽżŻśŚźŹłŁøØæÆœŒßđĐðÐþÞıŀ]/g;
const MARKS_RE = /\p{M}+/gu;
/** Apostrophes join (O'Brien, Ukrainian В'ячеслав); every other non-letter, non-digit separates tokens. */
const APOSTROPHES_RE = /['’‘`´ʼʻ]/g;
const SEPARATORS_RE = /[^\p{L}\p{N}]+/gu;

/** Lower-case, transliterated, diacritic-free, punctuation-free form of a name: tokens joined by one space. */
export function normalizeName(name: string): string {
  let s = transliterate(name.normalize('NFC'));
  s = s.replace(LATIN_SPECIAL_RE, (c) => LATIN_SPECIAL[c] ?? c);
  s = s.normalize('NFKD').replace(MARKS_RE, '').toLowerCase();
  s = s.replace(APOSTROPHES_RE, '').replace(SEPARATORS_RE, ' ');
  return s.trim();
}

export function tokenizeNormalized(normalized: string): string[] {
  return normalized.length === 0 ? [] : normalized.split(' ');
}

/** Tokens of a raw name, normalised. */
export function nameTokens(name: string): string[] {
  return tokenizeNormalized(normalizeName(name));
}

