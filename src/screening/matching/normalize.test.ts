import { foldToken } from './fold';
import { normalizeName, partyFingerprint, stripLegalForms, transliterate } from './index';
import { detectCyrillicLanguage } from './transliterate';

const fold = (name: string) => normalizeName(name).split(' ').map(foldToken).join(' ');

describe('normalizeName', () => {
  it('lower-cases, strips punctuation and diacritics (NFKD)', () => {
    expect(normalizeName('  AL-‘AZBAH, Hana ')).toBe('al azbah hana');
    expect(normalizeName('Société Générale S.A.')).toBe('societe generale s a');
    expect(normalizeName("O'Brien")).toBe('obrien');
  });

  it('keeps the sound of Czech/Polish carons instead of dropping them', () => {
    expect(normalizeName('Aleksandr Vjačeslavovič ZACHAROV')).toBe('aleksandr vjacheslavovich zacharov');
    expect(normalizeName('Łukasz Żurawski')).toBe('lukasz zhurawski');
  });

  it('transliterates Cyrillic before stripping marks (й, ё, ї survive NFKD)', () => {
    expect(normalizeName('Владимир Путин')).toBe('vladimir putin');
    expect(normalizeName('Дмитрий Юрьевич ХОРОШЕВ')).toBe('dmitriy yurevich khoroshev');
    expect(normalizeName('Алёна')).toBe('alena');
  });
});

describe('transliterate', () => {
  it('covers Russian letters', () => {
    expect(transliterate('щука жук цех чай шум хор ёж эхо юг яма ъ ь ы')).toBe(
      'shchuka zhuk tsekh chay shum khor ezh ekho yug yama   y',
    );
  });

  it('reads Ukrainian г as h and и as y, with ї є ґ і', () => {
    expect(detectCyrillicLanguage('Олександр Ігорович')).toBe('uk');
    expect(transliterate('Олександр Ігорович')).toBe('Oleksandr Ihorovych');
    expect(transliterate('Київ Євген Ґанна')).toBe('Kyyiv Yevhen Ganna');
  });

  it('reads Belarusian ў and г', () => {
    expect(detectCyrillicLanguage('Віктар Уладзіміравіч СОЙКА')).toBe('be');
    expect(transliterate('Паўлаўна Грыгор')).toBe('Paulauna Hryhor');
  });

  it('covers the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І', () => {
    expect(detectCyrillicLanguage('Қазақстан')).toBe('kk');
    expect(transliterate('Әлия Ғабит Қайрат Ботаңа Өмір Ұлан Үкі Һ Іле')).toBe(
      'Aliya Gabit Kayrat Botanga Omir Ulan Uki H Ile',
    );
  });
});

describe('foldToken (romanisation variants fold together)', () => {
  it.each([
    ['Dmitry', 'Dmitriy'],
    ['Dmitry', 'Dmitrii'],
    ['Dmitry', 'Dmitrij'],
    ['Yuryevich', 'Yurevich'],
    ['Yurievich', 'Yuryevich'],
    ['Khoroshev', 'Horoshev'],
    ['ZHURAVLEVA', 'ZJURAVLEVA'],
    ['Tatyana', 'Tatiana'],
    ['Yulia', 'Yuliya'],
    ['Yevgeny', 'Evgeny'],
    ['Tsarev', 'Tzarev'],
    ['Shchukin', 'Schukin'],
    ['Aleksey', 'Alexei'],
    ['Soyko', 'Sojko'],
    ['Maria', 'Mariya'],
    ['Mariia', 'Maria'],
    ['Vyacheslavovich', 'Viacheslavovych'],
    ['Djamshid', 'Dzhamshid'],
    ['Victor', 'Viktor'],
    ['Mohammed', 'Mohamed'],
    ['Nikolaevna', 'Nikolayevna'],
  ])('%s ~ %s', (a, b) => {
    expect(fold(a)).toBe(fold(b));
  });

  it('keeps genuinely different names apart', () => {
    expect(fold('Sergey')).not.toBe(fold('Andrey'));
    expect(fold('Zakharov')).not.toBe(fold('Zakharova'));
    expect(fold('Ivanov')).not.toBe(fold('Ivanova'));
  });
});

describe('stripLegalForms', () => {
  it.each([
    ['OOO Romashka', 'romashka', 'ooo'],
    ['ООО «Ромашка»', 'romashka', 'ooo'],
    ['Romashka LLC', 'romashka', 'llc'],
    ['Limited Liability Company "Romashka"', 'romashka', 'limited liability company'],
    ['Общество с ограниченной ответственностью "Ромашка"', 'romashka', 'obshchestvo s ogranichennoy otvetstvennostyu'],
    ['TOO Romashka', 'romashka', 'too'],
    ['ТОО «Ромашка»', 'romashka', 'too'],
    ['AO Romashka', 'romashka', 'ao'],
    ['АО "Ромашка"', 'romashka', 'ao'],
    ['ОАО Ромашка', 'romashka', 'oao'],
    ['ЗАО Ромашка', 'romashka', 'zao'],
    ['ПАО Ромашка', 'romashka', 'pao'],
    ['ИП Иванов', 'ivanov', 'ip'],
    ['Romashka JSC', 'romashka', 'jsc'],
    ['OJSC Romashka', 'romashka', 'ojsc'],
    ['CJSC Romashka', 'romashka', 'cjsc'],
    ['PJSC Romashka', 'romashka', 'pjsc'],
    ['Romashka GmbH', 'romashka', 'gmbh'],
    ['Romashka Ltd.', 'romashka', 'ltd'],
    ['Romashka Limited', 'romashka', 'limited'],
    ['Romashka, Inc.', 'romashka', 'inc'],
    ['Romashka Corp', 'romashka', 'corp'],
    ['Romashka LLP', 'romashka', 'llp'],
    ['Romashka S.A.', 'romashka', 's a'],
    ['Romashka SA', 'romashka', 'sa'],
    ['Товариство з обмеженою відповідальністю "Ромашка"', 'romashka', 'tovarystvo z obmezhenoyu vidpovidalnistyu'],
    ['Joint-Stock Company "Zala Aero"', 'zala aero', 'joint stock company'],
    ['Closed Joint Stock Company Promelectronica', 'promelectronica', 'closed joint stock company'],
  ])('%s -> %s', (name, rest, form) => {
    const r = stripLegalForms(name);
    expect(r.name).toBe(rest);
    expect(r.legalForms).toEqual([form]);
  });

  it('keeps short ambiguous forms that stand inside a name, and never strips everything', () => {
    expect(stripLegalForms('SA Trading House').name).toBe('sa trading house');
    expect(stripLegalForms('IP Ivanov').name).toBe('ivanov');
    expect(stripLegalForms('Ivanov IP').name).toBe('ivanov ip');
    expect(stripLegalForms('Limited').name).toBe('limited');
  });
});

describe('partyFingerprint', () => {
  it('is stable across spellings the matcher treats as identical', () => {
    const a = partyFingerprint({ name: 'KHOROSHEV, Dmitry', country: 'RU' });
    expect(a).toMatch(/^pf1:[0-9a-f]{32}$/);
    expect(partyFingerprint({ name: 'Dmitriy Khoroshev', country: 'Russia' })).toBe(a);
    expect(partyFingerprint({ name: 'Дмитрий Хорошев', country: 'rus' })).toBe(a);
    expect(partyFingerprint({ name: 'OOO Romashka' })).toBe(partyFingerprint({ name: 'Romashka LLC' }));
  });

  it('differs when the name or the country differs', () => {
    const a = partyFingerprint({ name: 'Dmitry Khoroshev', country: 'RU' });
    expect(partyFingerprint({ name: 'Dmitry Khoroshev', country: 'KZ' })).not.toBe(a);
    expect(partyFingerprint({ name: 'Sergey Khoroshev', country: 'RU' })).not.toBe(a);
    expect(partyFingerprint({ name: 'Dmitry Khoroshev' })).not.toBe(a);
  });
});
