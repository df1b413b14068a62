import { classifyIdentifierLabel, matchIdentifierLabel, refineIdentifier } from './labels';

describe('matchIdentifierLabel', () => {
  it.each([
    ['Tax ID No. 366110340670 (Russia)', 'TAX_ID', 'Tax ID No.', '366110340670 (Russia)'],
    ['Vessel Registration Identification IMO 9187629', 'IMO', 'Vessel Registration Identification IMO', '9187629'],
    ['Identification Number IMO 9339301', 'IMO', 'Identification Number IMO', '9339301'],
    ['Identification Number 2.194.575 (Paraguay)', 'NATIONAL_ID', 'Identification Number', '2.194.575 (Paraguay)'],
    ['Company Number IMO 5055293', 'OTHER', 'Company Number IMO', '5055293'],
    ['Company Number LL08318', 'REGISTRATION', 'Company Number', 'LL08318'],
    ['Diplomatic Passport 008827 (Iran)', 'PASSPORT', 'Diplomatic Passport', '008827 (Iran)'],
    ['SWIFT/BIC HNRBBY2X', 'SWIFT', 'SWIFT/BIC', 'HNRBBY2X'],
    ['NIT # 800146749-7 (Colombia)', 'TAX_ID', 'NIT #', '800146749-7 (Colombia)'],
    ['Government Gazette Number 09804148 (Russia)', 'REGISTRATION', 'Government Gazette Number', '09804148 (Russia)'],
  ])('%s', (text, type, label, rest) => {
    expect(matchIdentifierLabel(text)).toEqual({ type, label, rest });
  });

  it('ignores prose and short acronyms inside words', () => {
    expect(matchIdentifierLabel('Linked To: PASSPORT OFFICE')).toBeUndefined();
    expect(matchIdentifierLabel('Gender Male')).toBeUndefined();
    expect(matchIdentifierLabel('Innsbruck 12')).toBeUndefined();
    expect(matchIdentifierLabel('Passports 12')).toBeUndefined();
  });
});

describe('classifyIdentifierLabel', () => {
  it('classifies standalone labels of the CSL and UN files', () => {
    expect(classifyIdentifierLabel('Tax ID No.')).toBe('TAX_ID');
    expect(classifyIdentifierLabel('Registration ID')).toBe('REGISTRATION');
    expect(classifyIdentifierLabel('National Identification Number')).toBe('NATIONAL_ID');
    expect(classifyIdentifierLabel('Matricula Mercantil No')).toBe('REGISTRATION');
    expect(classifyIdentifierLabel('Website')).toBeUndefined();
    expect(classifyIdentifierLabel('Executive Order 13662 Directive Determination -')).toBeUndefined();
  });
});

describe('refineIdentifier', () => {
  it('turns a Russian 10/12-digit tax number into an INN and 13/15-digit registration into an OGRN', () => {
    expect(refineIdentifier({ type: 'TAX_ID', value: '366110340670', country: 'RU' }, 'person', [])).toMatchObject({
      type: 'INN',
      country: 'RU',
    });
    expect(
      refineIdentifier({ type: 'REGISTRATION', value: '1207700248030', country: 'RU' }, 'organization', []),
    ).toMatchObject({ type: 'OGRN' });
    expect(refineIdentifier({ type: 'REGISTRATION', value: '09804148', country: 'RU' }, 'organization', []).type).toBe(
      'REGISTRATION',
    );
    expect(refineIdentifier({ type: 'TAX_ID', value: '100036386', country: 'RS' }, 'organization', []).type).toBe(
      'TAX_ID',
    );
  });
  it('infers Russia from the entry only when the check digit is valid', () => {
    expect(refineIdentifier({ type: 'REGISTRATION', value: '1148904001971' }, 'organization', ['RU'])).toEqual({
      type: 'OGRN',
      value: '1148904001971',
      country: 'RU',
    });
    expect(refineIdentifier({ type: 'REGISTRATION', value: '1148904001972' }, 'organization', ['RU']).type).toBe(
      'REGISTRATION',
    );
    expect(refineIdentifier({ type: 'TAX_ID', value: '8904075533' }, 'organization', ['US']).type).toBe('TAX_ID');
  });
  it('turns a valid Kazakh 12-digit number into a BIN (organisations) or IIN (persons)', () => {
    expect(refineIdentifier({ type: 'TAX_ID', value: '940140000385', country: 'KZ' }, 'organization', []).type).toBe(
      'BIN',
    );
    expect(refineIdentifier({ type: 'NATIONAL_ID', value: '860624300128', country: 'KZ' }, 'person', []).type).toBe(
      'IIN',
    );
  });
  it('leaves an old 12-digit Kazakh RNN alone (OFAC sdn 16274)', () => {
    expect(
      refineIdentifier({ type: 'NATIONAL_ID', value: '582100259386', country: 'KZ' }, 'organization', []).type,
    ).toBe('NATIONAL_ID');
  });
});
