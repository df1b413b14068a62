/**
 * Cyrillic to Latin for matching (not for display). One scheme close to the English-language passport style,
 * because that is what most lists print; the spelling variants of other schemes are absorbed later by the
 * phonetic fold (fold.ts), so the exact letters chosen here only need to be consistent.
 *
 * Ukrainian and Belarusian write the sound [h] with Г, Russian and Kazakh write [g] with it: a name is
 * romanised with the language its own letters reveal, otherwise "Олександр Ігорович" would come out as "Igorovich"
 * and miss the Ukrainian "Ihorovych" every list prints next to it.
 */

export type CyrillicLanguage = 'ru' | 'uk' | 'be' | 'kk';

const COMMON: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  // Ukrainian
  і: 'i',
  ї: 'yi',
  є: 'ye',
  ґ: 'g',
  // Belarusian
  ў: 'u',
  // Kazakh (and Tatar/Bashkir letters that share the code points)
  ә: 'a',
  ғ: 'g',
  қ: 'k',
  ң: 'ng',
  ө: 'o',
  ұ: 'u',
  ү: 'u',
  һ: 'h',
  // Serbian/Macedonian letters seen in Balkan list entries
  ђ: 'dj',
  ј: 'j',
  љ: 'lj',
  њ: 'nj',
  ћ: 'c',
  џ: 'dzh',
  ѓ: 'g',
  ќ: 'k',
  ѕ: 'dz',
};

/** Letters whose reading differs by language. */
const BY_LANGUAGE: Record<CyrillicLanguage, Record<string, string>> = {
  ru: {},
  kk: {},
  uk: { г: 'h', и: 'y', е: 'e' },
  be: { г: 'h' },
};

const CYRILLIC = /[\u0400-\u04ff]/;

/** The language a Cyrillic string is most likely written in, judged from the letters only it uses. */
export function detectCyrillicLanguage(text: string): CyrillicLanguage {
  let hasI = false;
  let hasRussianI = false;
  for (const ch of text.toLowerCase()) {
    switch (ch) {
      case 'ә':
      case 'ғ':
      case 'қ':
      case 'ң':
      case 'ө':
      case 'ұ':
      case 'ү':
      case 'һ':
        return 'kk';
      case 'ї':
      case 'є':
      case 'ґ':
        return 'uk';
      case 'ў':
        return 'be';
      case 'і':
        hasI = true;
        break;
      case 'и':
        hasRussianI = true;
        break;
      default:
        break;
    }
  }
  if (hasI) return hasRussianI ? 'uk' : 'be';
  return 'ru';
}

/**
 * Romanise every Cyrillic letter of `text`; other characters pass through unchanged, case is kept per letter
 * (an upper-case Cyrillic letter gives a capitalised Latin group, so "ЖУРАВЛЕВА" reads "ZhURAVLEVA" - the
 * caller lower-cases for matching anyway).
 */
export function transliterate(text: string, language?: CyrillicLanguage): string {
  if (!CYRILLIC.test(text)) return text;
  const lang = language ?? detectCyrillicLanguage(text);
  const special = BY_LANGUAGE[lang];
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const mapped = special[lower] ?? COMMON[lower];
    if (mapped === undefined) {
      out += ch;
    } else if (lower !== ch && mapped.length > 0) {
      out += mapped[0].toUpperCase() + mapped.slice(1);
    } else {
      out += mapped;
    }
  }
  return out;
}

export function hasCyrillic(text: string): boolean {
  return CYRILLIC.test(text);
}
