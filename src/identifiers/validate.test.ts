import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kzCheckDigit } from './checksums';
import { normalizeIdentifier, validateIdentifier } from './validate';

const IDS = join(__dirname, '..', '..', 'test', 'fixtures', 'data', 'identifiers');

describe('normalizeIdentifier', () => {
  it('keeps upper-case letters and digits only', () => {
    expect(normalizeIdentifier('TAX_ID', 'che-267.936.404')).toBe('CHE267936404');
    expect(normalizeIdentifier('INN', ' 7704 681172 ')).toBe('7704681172');
    expect(normalizeIdentifier('PASSPORT', 'RL 1794375')).toBe('RL1794375');
  });
  it('drops the IMO prefix of IMO numbers only', () => {
    expect(normalizeIdentifier('IMO', 'IMO 9187629')).toBe('9187629');
    expect(normalizeIdentifier('OTHER', 'IMO 5055293')).toBe('IMO5055293');
  });
});

describe('Kazakh BIN', () => {
  const vectors = readFileSync(join(IDS, 'bin_checksum_test_vectors.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.split('\t'));

  it('has test vectors of every kind', () => {
    expect(vectors.length).toBe(49);
    expect(vectors.filter(([, e]) => e === 'valid').length).toBe(32);
  });

  it.each(vectors)('%s is %s (%s)', (bin, expected) => {
    expect(validateIdentifier('BIN', bin).valid).toBe(expected === 'valid');
  });

  it('validates all 270 real BINs of python-stdnum', () => {
    const bins = readFileSync(join(IDS, 'python-stdnum_kz_bin_valid_samples.txt'), 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim());
    expect(bins).toHaveLength(270);
    const invalid = bins.filter((b) => !validateIdentifier('BIN', b).valid);
    expect(invalid).toEqual([]);
  });

  it('uses the second weight set when the first gives 10', () => {
    // 960240007379: first pass sum mod 11 is 10, second pass gives 9.
    const d = Array.from('96024000737', Number);
    expect(d.reduce((s, x, i) => s + x * (i + 1), 0) % 11).toBe(10);
    expect(kzCheckDigit(d)).toBe(9);
    expect(validateIdentifier('BIN', '960240007379').valid).toBe(true);
  });

  it('rejects numbers for which no check digit exists, with a reason', () => {
    expect(validateIdentifier('BIN', '940140000960')).toEqual({
      valid: false,
      reason: 'no valid check digit exists for this number',
    });
  });

  it('checks the structure digits', () => {
    expect(validateIdentifier('BIN', '940190000385').reason).toMatch(/digit 5/);
    expect(validateIdentifier('BIN', '940149000385').reason).toMatch(/digit 6/);
    expect(validateIdentifier('BIN', '949940000385').reason).toMatch(/month/);
    expect(validateIdentifier('BIN', '12345').reason).toMatch(/12 digits/);
  });
});

describe('Kazakh IIN', () => {
  // Check digits computed with the DOMAIN.md algorithm for real-looking birth dates.
  it('accepts a valid date, century digit and check digit', () => {
    expect(validateIdentifier('IIN', '860624300128').valid).toBe(true); // 24 Jun 1986, male, 20th century
  });
  it('rejects an impossible date', () => {
    expect(validateIdentifier('IIN', '861324300128').reason).toMatch(/birth date/);
    expect(validateIdentifier('IIN', '870229300120').reason).toMatch(/birth date/); // 1987 is no leap year
  });
  it('rejects a century digit above 6', () => {
    expect(validateIdentifier('IIN', '860624700128').reason).toMatch(/digit 7/);
  });
  it('rejects a wrong check digit', () => {
    expect(validateIdentifier('IIN', '860624300129').valid).toBe(false);
  });
});

describe('Russian INN / OGRN from OFAC remarks', () => {
  it.each([
    ['366110340670', 'KHOROSHEV (sdn 48603), 12 digits'],
    ['9709063550', 'DIALOG REGIONS (sdn 50544)'],
    ['7704681172', 'CSL 2019 row 20660'],
    ['7743693291', 'GURGEN HOUSE FZCO (sdn 16274)'],
    ['1831156383', 'Bespilotnye Sistemy (FtM innCode)'],
  ])('INN %s is valid (%s)', (inn) => {
    expect(validateIdentifier('INN', inn).valid).toBe(true);
  });
  it('rejects a wrong INN check digit and wrong lengths', () => {
    expect(validateIdentifier('INN', '9709063551').valid).toBe(false);
    expect(validateIdentifier('INN', '366110340671').valid).toBe(false);
    expect(validateIdentifier('INN', '12345678901').reason).toMatch(/10 or 12/);
  });
  it.each(['1207700248030', '1087746669845', '1027700167110', '1148904001971'])('OGRN %s is valid', (ogrn) => {
    expect(validateIdentifier('OGRN', ogrn).valid).toBe(true);
  });
  it('validates 15-digit OGRNIP with mod 13', () => {
    expect(validateIdentifier('OGRN', '304500116000157').valid).toBe(true);
    expect(validateIdentifier('OGRN', '304500116000158').valid).toBe(false);
  });
  it('rejects a wrong OGRN check digit', () => {
    expect(validateIdentifier('OGRN', '1207700248031').valid).toBe(false);
  });
});

describe('IMO', () => {
  it.each(['9187629', '9339301', '9313149', '9263643', '9486910', 'IMO 9116412'])('%s is valid', (imo) => {
    expect(validateIdentifier('IMO', imo).valid).toBe(true);
  });
  it('rejects a wrong check digit and wrong lengths', () => {
    expect(validateIdentifier('IMO', '9187628').valid).toBe(false);
    expect(validateIdentifier('IMO', '15411').reason).toMatch(/7 digits/);
  });
});

describe('EORI and SWIFT', () => {
  it('checks the EORI country prefix and length', () => {
    expect(validateIdentifier('EORI', 'DE1234567890123').valid).toBe(true);
    expect(validateIdentifier('EORI', 'XI123456789000').valid).toBe(true);
    expect(validateIdentifier('EORI', 'QQ123').valid).toBe(false);
    expect(validateIdentifier('EORI', 'DE1234567890123456').valid).toBe(false);
    expect(validateIdentifier('EORI', '1234').valid).toBe(false);
  });
  it('checks SWIFT/BIC structure', () => {
    expect(validateIdentifier('SWIFT', 'GAZPRUMM').valid).toBe(true);
    expect(validateIdentifier('SWIFT', 'RKBZCHZZXXX').valid).toBe(true);
    expect(validateIdentifier('SWIFT', 'GAZPQQMM').valid).toBe(false);
    expect(validateIdentifier('SWIFT', 'GAZP').valid).toBe(false);
  });
});

describe('types without a check digit', () => {
  it('accept any non-empty value', () => {
    expect(validateIdentifier('PASSPORT', '717637093').valid).toBe(true);
    expect(validateIdentifier('REGISTRATION', '---').valid).toBe(false);
  });
});
