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
  č: 'ch',
  Č: 'Ch',
  ć: 'ch',
  Ć: 'Ch',
  š: 'sh',
  Š: 'Sh',
  ž: 'zh',
  Ž: 'Zh',
  ż: 'zh',
  Ż: 'Zh',
  ś: 's',
  Ś: 'S',
  ź: 'z',
  Ź: 'Z',
  ł: 'l',
  Ł: 'L',
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ß: 'ss',
  đ: 'dj',
  Đ: 'Dj',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'Th',
  ı: 'i',
  ŀ: 'l',
};
const LATIN_SPECIAL_RE = /[čČćĆšŠžŽżŻśŚźŹłŁøØæÆœŒßđĐðÐþÞıŀ]/g;
const MARKS_RE = /\p{M}+/gu;
/** Apostrophes join (O'Brien, Ukrainian В'ячеслав); every other non-letter, non-digit separates tokens. */
const APOSTROPHES_RE = /['’‘`´ʼʻ]/g;
const SEPARATORS_RE = /[^\p{L}\p{N}]+/gu;
/** For plain ASCII names (most list names): what the steps below come to, without Unicode normalisation. */
const NON_ASCII_RE = /[^\x00-\x7f]/;
const ASCII_APOSTROPHES_RE = /['`]/g;
const ASCII_SEPARATORS_RE = /[^a-z0-9]+/g;

/** Lower-case, transliterated, diacritic-free, punctuation-free form of a name: tokens joined by one space. */
export function normalizeName(name: string): string {
  // ASCII has no Cyrillic, no marks and no special Latin letters, and its only letters and digits are a-z, 0-9
  // once lower-cased: the same result as the general path, several times faster.
  if (!NON_ASCII_RE.test(name)) {
    return name.toLowerCase().replace(ASCII_APOSTROPHES_RE, '').replace(ASCII_SEPARATORS_RE, ' ').trim();
  }
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
