/**
 * Address normalisation and comparison. Lists write addresses in every convention there is: "УЛ. ВОРОВСКОГО Д.130,
 * Г. ИЖЕВСК, 426063" (Russian registry order: street type first, house after "д."), "130 Vorovskogo st. Izhevsk"
 * (English order: number first, street type after), "Zweierstrasse 35" (German compound), "Leninsky Prospekt,
 * 128-1-125". Both sides go through the name transliteration (normalize.ts), then a small grammar of markers:
 * street types (ул./улица/ulitsa/st./street, пр-т/проспект/avenue ...), house and building markers (д./дом/house,
 * корп./стр./building), unit markers (кв./офис/apartment: below building level, ignored), city and region markers.
 *
 * What "specific" means: a street plus a house/building number, or a street plus a postcode. Only a specific address
 * can identify a front company at a listed party's premises; a city, region or country is shared by millions and is
 * never evidence on its own.
 */
import { countryToIso2 } from '../../identifiers/countries';
import type { ListAddress } from '../../domain/list-entry';
import { foldToken } from './fold';
import { normalizeName } from './normalize';

export type { ListAddress };

export interface ParsedAddress {
  /** Street name tokens, normalised (street types, stop words and numbers removed). */
  street: string[];
  /** The house number ("7", "47a"): the one after a house marker, else the first number that is not a unit's. */
  house?: string;
  /** Further building numbers (корпус, строение, "building 2"). */
  buildings: string[];
  postcode?: string;
  /** City and region tokens the address names as such (a city marker, a structured city or region field). */
  city: string[];
  /** Words whose role is unknown (an unmarked segment without a number): a city, a district, a building name. */
  place: string[];
  country?: string;
  /** A street plus a house number or a postcode: precise enough to stand as evidence. */
  specific: boolean;
}

type Marker = 'street' | 'house' | 'building' | 'unit' | 'city' | 'region';

/** Markers after normalisation (Cyrillic already transliterated), both scripts and a few Western conventions. */
const MARKERS = new Map<string, Marker>();
function mark(kind: Marker, words: string): void {
  for (const w of words.split(' ')) MARKERS.set(w, kind);
}
mark(
  'street',
  'ul ulitsa ulica ulitsy vul vulytsia vulitsa vulytsya kosh koshesi koshesi kuchasi street st str strasse straße ' +
    'prospekt prosp pr prt pr-t avenue ave av avenida avenue prospect pereulok per lane ln road rd boulevard blvd bulvar bulv bul br ' +
    'shosse sh highway hwy naberezhnaya nab ploshchad pl square sq proezd pr-d drive dr way tupik alley allee rue via calle ' +
    'mikrorayon mkr mkrn microdistrict kvartal',
);
mark('house', 'd dom house h no nr n num number bud budynok uy');
mark('building', 'korp korpus k bldg building bld block blk stroenie stroyeniye stroen lit litera liter');
// A post box (P.O. Box, а/я) is not a building: its number is ignored like a flat's.
mark(
  'unit',
  'kv kvartira apartment apt ap flat of off ofis office room rm kom komn komnata pom pomeshchenie prym prim ' +
    'etazh et floor fl pov poverkh kimn kimnata suite ste unit kab box pobox postfach ya',
);
mark('city', 'g gor gorod city town m misto pos poselok pgt village selo s');
mark(
  'region',
  'obl oblast oblys region reg respublika resp republic krai kray rayon raion district okrug province prov state ' +
    'r-n rn ao',
);
/** "str" is a street in German and a building (строение) in Russian: read as a building only in Cyrillic text. */
const CYRILLIC_STR = 'building';
/** Two-token abbreviations that the punctuation split tears apart: пр-т, б-р, р-н, пр-кт, ш-се. */
const PAIRS = new Map(
  Object.entries({ 'pr t': 'prt', 'pr kt': 'prt', 'b r': 'br', 'r n': 'rn', 'pr d': 'pr-d', 'sh se': 'sh' }),
);
const STOP_WORDS = new Set([
  'de',
  'del',
  'la',
  'le',
  'el',
  'the',
  'of',
  'and',
  'im',
  'imeni',
  'named',
  'after',
  'di',
  'da',
  'van',
  'von',
  'der',
]);
/** Compound street names carry their type: Zweierstrasse, Hauptgasse, Bergweg. */
const STREET_SUFFIX_RE = /(strasse|strase|gasse|weg|platz|allee|straat|gatan|vej)$/;
/** English and local names of the cities most often on these lists: the local form is the key. */
const CITY_SYNONYMS = new Map<string, string>(
  Object.entries({
    moscow: 'moskva',
    moskau: 'moskva',
    kiev: 'kyiv',
    kiyev: 'kyiv',
    kyyiv: 'kyiv',
    kyiiv: 'kyiv',
    petersburg: 'peterburg',
    alma: 'almaty',
    tashkent: 'toshkent',
    warsaw: 'warszawa',
    varshava: 'warszawa',
    peking: 'beijing',
    teheran: 'tehran',
    damascus: 'dimashq',
    astana: 'astana',
    nur: 'astana',
    sultan: 'astana',
    bishkek: 'bishkek',
    minsk: 'minsk',
  }),
);
/** Country names as addresses write them that countryToIso2 does not know. */
const COUNTRY_ALIASES = new Map<string, string>(
  Object.entries({
    rossiya: 'RU',
    rossiia: 'RU',
    'rossiyskaya federatsiya': 'RU',
    'rossiiskaia federatsiia': 'RU',
    'rosiyska federatsiya': 'RU',
    rf: 'RU',
    'russian federation': 'RU',
    kazakhstan: 'KZ',
    'respublika kazakhstan': 'KZ',
    qazaqstan: 'KZ',
    belarus: 'BY',
    'respublika belarus': 'BY',
    ukraina: 'UA',
    ukrayina: 'UA',
    uzbekistan: 'UZ',
    kyrgyzstan: 'KG',
    kirgiziya: 'KG',
  }),
);
const UK_POSTCODE_RE = /\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b/;
const NUMBER_RE = /^\d+[a-z]?$/;
const POSTCODE_RE = /^\d{5,6}$/;
const CYRILLIC_RE = /[\u0400-\u04FF]/;

function emptyParsed(): ParsedAddress {
  return { street: [], buildings: [], city: [], place: [], specific: false };
}

/** Segment -> country (or '' for none): lists repeat the same few city and country segments thousands of times. */
const countryMemo = new Map<string, string>();

function countryOf(normalized: string): string | undefined {
  let code = countryMemo.get(normalized);
  if (code === undefined) {
    code = COUNTRY_ALIASES.get(normalized) ?? countryToIso2(normalized) ?? '';
    if (countryMemo.size >= 20000) countryMemo.clear();
    countryMemo.set(normalized, code);
  }
  return code || undefined;
}

function tokensOf(segment: string): string[] {
  const raw = normalizeName(segment)
    .split(' ')
    .filter((t) => t.length > 0);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const pair = raw[i].length <= 2 && i + 1 < raw.length ? PAIRS.get(`${raw[i]} ${raw[i + 1]}`) : undefined;
    if (pair) {
      out.push(pair);
      i++;
    } else out.push(raw[i]);
  }
  return out;
}

/** Reads one free-text address into `into` (segments split at commas, semicolons, brackets and line breaks). */
function parseText(text: string, into: ParsedAddress, role: 'any' | 'city' | 'region'): void {
  let rest = text.normalize('NFC');
  const uk = UK_POSTCODE_RE.exec(rest.toUpperCase());
  if (uk) {
    into.postcode ??= `${uk[1]}${uk[2]}`;
    rest = rest.slice(0, uk.index) + rest.slice(uk.index + uk[0].length);
  }
  const cyrillic = CYRILLIC_RE.test(rest);
  for (const segment of rest.split(/[,;()\n\r]+/)) {
    const tokens = tokensOf(segment);
    if (tokens.length === 0) continue;
    // A country is a segment of its own, a few words without a number ("Russian Federation", "Respublika Kazakhstan").
    const country =
      role === 'any' && tokens.length <= 4 && !tokens.some((t) => /\d/.test(t))
        ? countryOf(tokens.join(' '))
        : undefined;
    if (country) {
      into.country ??= country;
      continue;
    }
    parseSegment(tokens, into, role, cyrillic);
  }
}

function markerOf(token: string, cyrillic: boolean): Marker | undefined {
  if (token === 'str' && cyrillic) return CYRILLIC_STR;
  return MARKERS.get(token);
}

function parseSegment(tokens: string[], into: ParsedAddress, role: 'any' | 'city' | 'region', cyrillic: boolean): void {
  if (role !== 'any') {
    for (const t of tokens) {
      if (POSTCODE_RE.test(t) || /^\d{4}$/.test(t)) into.postcode ??= t;
      else if (!NUMBER_RE.test(t) && !markerOf(t, cyrillic) && t.length > 1) into.city.push(t);
    }
    return;
  }
  const markers = tokens.map((t) => markerOf(t, cyrillic));
  const regionSegment = markers.includes('region');
  const streetAt = markers.indexOf('street');
  const hasNumber = tokens.some((t, i) => NUMBER_RE.test(t) && !POSTCODE_RE.test(t) && markers[i] === undefined);
  // Street name tokens: after a street type that opens the name (ул. Тверская, Ulitsa Angarskaya), else before it
  // (Tverskaya St., Leninsky Prospekt). With words on both sides, Cyrillic text puts the type first, English last.
  const streetIdx = new Set<number>();
  if (streetAt >= 0 && !regionSegment) {
    const word = (i: number) => i >= 0 && i < tokens.length && !NUMBER_RE.test(tokens[i]) && markers[i] === undefined;
    const step = word(streetAt + 1) && (!word(streetAt - 1) || cyrillic) ? 1 : -1;
    for (let i = streetAt + step; word(i); i += step) streetIdx.add(i);
  }
  let pending: Marker | undefined;
  let cityRun = false;
  let unmarkedStreet = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const m = markers[i];
    if (NUMBER_RE.test(t)) {
      if (POSTCODE_RE.test(t) && pending !== 'house' && pending !== 'building') into.postcode ??= t;
      else if (pending === 'unit') {
        /* a flat or an office: below building level */
      } else if (pending === 'house') {
        if (into.house && into.house !== t) into.buildings.push(into.house);
        into.house = t;
      } else if (pending === 'building' || into.house) into.buildings.push(t);
      else into.house = t;
      pending = undefined;
      continue;
    }
    if (m === 'city') {
      cityRun = true;
      pending = undefined;
      continue;
    }
    if (m !== undefined) {
      if (m === 'house' || m === 'building' || m === 'unit') pending = m;
      else cityRun = false;
      continue;
    }
    if (STOP_WORDS.has(t) || t.length < 2) continue;
    if (streetIdx.has(i) || (STREET_SUFFIX_RE.test(t) && !regionSegment)) into.street.push(t);
    else if (cityRun || regionSegment) into.city.push(t);
    else if (streetAt < 0 && hasNumber && (into.street.length === 0 || unmarkedStreet)) {
      // "Tverskaya 7", "Dobrininskaya No. 7": words beside a house number are the street even without its type.
      into.street.push(t);
      unmarkedStreet = true;
    } else into.place.push(t);
  }
}

function canonicalPlace(t: string): string {
  return CITY_SYNONYMS.get(t) ?? t;
}

/** Parses a list address (structured or not) or a declared party's one-line address. */
export function parseAddress(input: string | ListAddress): ParsedAddress {
  const out = emptyParsed();
  if (typeof input === 'string') parseText(input, out, 'any');
  else {
    if (input.street) parseText(input.street, out, 'any');
    if (input.full) parseText(input.full, out, 'any');
    if (input.city) parseText(input.city, out, 'city');
    if (input.region) parseText(input.region, out, 'region');
    if (input.postcode) {
      const code = input.postcode.toUpperCase().replace(/[^A-Z0-9]/g, '');
      if (code) out.postcode = /^[A-Z]{1,2}\d/.test(code) ? code : code.replace(/^[A-Z]+/, '');
    }
    if (input.country) out.country = countryToIso2(input.country) ?? out.country;
  }
  out.city = out.city.map(canonicalPlace);
  out.place = out.place.map(canonicalPlace);
  out.specific = out.street.length > 0 && (out.house !== undefined || out.postcode !== undefined);
  return out;
}

/** One address as a reviewer reads it: "street tverskaya, house 7, postcode 125009, city moskva". */
export function describeParsed(a: ParsedAddress): string {
  const parts: string[] = [];
  if (a.street.length) parts.push(`street ${a.street.join(' ')}`);
  if (a.house) parts.push(`house ${a.house}`);
  if (a.buildings.length) parts.push(`building ${a.buildings.join('/')}`);
  if (a.postcode) parts.push(`postcode ${a.postcode}`);
  if (a.city.length) parts.push(`city ${a.city.join(' ')}`);
  if (a.country) parts.push(`country ${a.country}`);
  return parts.join(', ');
}

/** The text of a list address as one line. */
export function addressText(a: ListAddress): string {
  return [a.full, a.street, a.postcode, a.city, a.region, a.country].filter((s) => s && s.trim()).join(', ');
}

function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Two street or place tokens name the same thing: the phonetic folds agree (Tverskaya / Tverskaia), or differ by
 * an ending or a letter in a long word (Tyulenev / Tyuleneva, Krzhizhanovskogo / Krzhyzhanovskoho).
 */
export function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const fa = foldToken(a);
  const fb = foldToken(b);
  if (fa === fb) return true;
  const shorter = Math.min(fa.length, fb.length);
  if (shorter < 5) return false;
  return editDistance(fa, fb, shorter >= 9 ? 2 : 1) <= (shorter >= 9 ? 2 : 1);
}

/** Every token of the shorter street has its counterpart in the longer: "Leninsky" and "Leninskiy Prospekt". */
function sameStreet(a: string[], b: string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (!short.some((t) => t.length >= 4)) return false;
  return short.every((t) => long.some((u) => sameWord(t, u)));
}

function sharesPlace(a: string[], b: string[]): boolean {
  return a.some((t) => b.some((u) => sameWord(t, u)));
}

export type AddressMatchLevel = 'building' | 'street-postcode' | 'street' | 'city' | 'none';

export interface AddressComparison {
  level: AddressMatchLevel;
  /** A building-level match, or a street and postcode: enough to raise a name match or to stand alone. */
  specific: boolean;
  /** What agreed and what did not, for the explanation. */
  reasons: string[];
}

/**
 * Compares a declared address with a listed one. "building": same street and house number (and no postcode, city or
 * country that contradicts); "street-postcode": same street and postcode, a house number on one side only;
 * "street": same street only, or another house number; "city": a shared city, place or postcode only.
 */
export function compareAddresses(q: ParsedAddress, l: ParsedAddress): AddressComparison {
  const reasons: string[] = [];
  const none = (why: string): AddressComparison => ({ level: 'none', specific: false, reasons: [...reasons, why] });
  if (q.country && l.country && q.country !== l.country) return none(`countries differ (${q.country} / ${l.country})`);
  const postcodeAgrees = q.postcode !== undefined && q.postcode === l.postcode;
  const postcodeDiffers = q.postcode !== undefined && l.postcode !== undefined && !postcodeAgrees;
  // The declared address names a city (a marker such as "г."): a listed city it does not share contradicts it.
  const cityDiffers = q.city.length > 0 && l.city.length > 0 && !sharesPlace(q.city, [...l.city, ...l.place]);
  const placeAgrees = sharesPlace([...q.city, ...q.place], [...l.city, ...l.place]);
  const street = sameStreet(q.street, l.street);
  if (street) reasons.push(`same street (${q.street.join(' ')} / ${l.street.join(' ')})`);
  if (postcodeAgrees) reasons.push(`same postcode ${q.postcode}`);
  if (postcodeDiffers) reasons.push(`postcodes differ (${q.postcode} / ${l.postcode})`);
  if (cityDiffers) reasons.push(`cities differ (${q.city.join(' ')} / ${l.city.join(' ')})`);
  else if (placeAgrees) reasons.push('same city');
  if (street && q.house && l.house) {
    if (q.house !== l.house) {
      reasons.push(`other house number (${q.house} / ${l.house})`);
      return { level: 'street', specific: false, reasons };
    }
    reasons.push(`same house number ${q.house}`);
    if (postcodeDiffers || cityDiffers) return { level: 'street', specific: false, reasons };
    return { level: 'building', specific: true, reasons };
  }
  if (street && postcodeAgrees && !cityDiffers) return { level: 'street-postcode', specific: true, reasons };
  if (street) return { level: 'street', specific: false, reasons };
  if (postcodeAgrees || placeAgrees) return { level: 'city', specific: false, reasons };
  return none('nothing in common');
}

/**
 * Lookup keys of a specific address: street token prefix (its fold's first 4 letters, which survive romanisation
 * and case endings) with the house number, and with the postcode. Any specific match shares at least one key.
 */
export function addressKeys(a: ParsedAddress): string[] {
  if (!a.specific) return [];
  const keys = new Set<string>();
  for (const t of a.street) {
    if (t.length < 4) continue;
    const stem = foldToken(t).slice(0, 4);
    if (a.house) keys.add(`h|${a.house}|${stem}`);
    if (a.postcode) keys.add(`p|${a.postcode}|${stem}`);
  }
  return [...keys];
}
