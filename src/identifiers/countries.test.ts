import { EXTRA_COUNTRY_CODES, ISO_3166_ALPHA2, countryName, countryToIso2, isCountryCode } from './countries';

describe('ISO 3166-1 alpha-2 list', () => {
  it('has all 249 officially assigned codes, sorted and unique', () => {
    expect(ISO_3166_ALPHA2).toHaveLength(249);
    expect(new Set(ISO_3166_ALPHA2).size).toBe(249);
    expect([...ISO_3166_ALPHA2].sort()).toEqual(ISO_3166_ALPHA2);
    for (const code of ['RU', 'KZ', 'BY', 'AM', 'KG', 'UA', 'US', 'GB', 'CN', 'AX', 'BQ', 'SS', 'SX', 'CW']) {
      expect(isCountryCode(code)).toBe(true);
    }
  });
  it('accepts Kosovo as an extra code but nothing invented', () => {
    expect(EXTRA_COUNTRY_CODES).toEqual(['XK']);
    expect(isCountryCode('XK')).toBe(true);
    expect(isCountryCode('SU')).toBe(false);
    expect(isCountryCode('ru')).toBe(false);
    expect(countryName('KZ')).toBe('Kazakhstan');
  });
});

describe('countryToIso2', () => {
  // Every country spelling that occurs in the OFAC 2019/2025, UN 2026 and CSL reference files.
  const spellings: [string, string][] = [
    ['Afghanistan', 'AF'],
    ['Bahamas, The', 'BS'],
    ['Bosnia and Herzegovina', 'BA'],
    ['Bosnia-Herzegovina', 'BA'],
    ['British Virgin Islands', 'VG'],
    ['Virgin Islands, British', 'VG'],
    ['Burma', 'MM'],
    ['Myanmar', 'MM'],
    ['Cabo Verde', 'CV'],
    ['China, Hong Kong Special Administrative Region', 'HK'],
    ['Hong Kong', 'HK'],
    ['Congo, Democratic Republic of the', 'CD'],
    ['Democratic Republic of the Congo', 'CD'],
    ['Congo, Republic of the', 'CG'],
    ['Congo', 'CG'],
    ['Cote d Ivoire', 'CI'],
    ["Côte d'Ivoire", 'CI'],
    ['Czech Republic', 'CZ'],
    ["Democratic People's Republic of Korea", 'KP'],
    ['Korea, North', 'KP'],
    ['Korea, South', 'KR'],
    ['Iran', 'IR'],
    ['Iran (Islamic Republic of)', 'IR'],
    ['Kosovo', 'XK'],
    ['Laos', 'LA'],
    ['Macedonia, The Former Yugoslav Republic of', 'MK'],
    ['Man, Isle of', 'IM'],
    ['Palestinian', 'PS'],
    ['State of Palestine', 'PS'],
    ['Region: Crimea', 'UA'],
    ['Region: Gaza', 'PS'],
    ['West Bank', 'PS'],
    ['Region: Northern Mali', 'ML'],
    ['Russia', 'RU'],
    ['Russian Federation', 'RU'],
    ['Syria', 'SY'],
    ['Syrian Arab Republic', 'SY'],
    ['Taiwan', 'TW'],
    ['Tanzania', 'TZ'],
    ['United Republic of Tanzania', 'TZ'],
    ['The Gambia', 'GM'],
    ['Turkey', 'TR'],
    ['Türkiye', 'TR'],
    ['United Kingdom', 'GB'],
    ['United Kingdom of Great Britain and Northern Ireland', 'GB'],
    ['U.K.', 'GB'],
    ['United States', 'US'],
    ['United States of America', 'US'],
    ['Viet Nam', 'VN'],
    ['Vietnam', 'VN'],
    ['Kazakhstan', 'KZ'],
    ['Kyrgyzstan', 'KG'],
    ['Belarus', 'BY'],
    ['Ukraine', 'UA'],
    ['Armenia', 'AM'],
    ['Jersey', 'JE'],
    ['Gibraltar', 'GI'],
    ['Aruba', 'AW'],
    ['Netherlands', 'NL'],
    ['Cook Islands', 'CK'],
    ['Saint Kitts and Nevis', 'KN'],
    ['Saint Vincent and the Grenadines', 'VC'],
    ['Guinea-Bissau', 'GW'],
    ['Equatorial Guinea', 'GQ'],
    ['Marshall Islands', 'MH'],
    ['Tuvalu', 'TV'],
    ['Palau', 'PW'],
    ['Macau', 'MO'],
    ['Moldova', 'MD'],
    ['RU', 'RU'],
    ['KZ', 'KZ'],
  ];
  it.each(spellings)('%s -> %s', (name, code) => {
    expect(countryToIso2(name)).toBe(code);
  });

  it.each(['None Identified', 'undetermined', 'na', 'former Soviet Union', 'Netherlands Antilles', 'Moscow', '', 'SU'])(
    '%j is not a country',
    (name) => {
      expect(countryToIso2(name)).toBeUndefined();
    },
  );

  it('maps every ISO short name back to its code', () => {
    for (const code of ISO_3166_ALPHA2) expect(countryToIso2(countryName(code))).toBe(code);
  });
});
