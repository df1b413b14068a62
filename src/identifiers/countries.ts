/**
 * Country names as sanctions lists write them -> ISO 3166-1 alpha-2.
 * Lists spell countries in their own ways ("Korea, North", "Iran (Islamic Republic of)", "Burma", "Türkiye"),
 * so the importers map every spelling that occurs in the OFAC, UN, CSL and EU files to one code.
 */

/** ISO 3166-1 alpha-2 code -> English short name (all 249 officially assigned codes). */
const ISO_NAMES: Readonly<Record<string, string>> = {
  AD: 'Andorra', AE: 'United Arab Emirates', AF: 'Afghanistan', AG: 'Antigua and Barbuda', AI: 'Anguilla',
  AL: 'Albania', AM: 'Armenia', AO: 'Angola', AQ: 'Antarctica', AR: 'Argentina', AS: 'American Samoa',
  AT: 'Austria', AU: 'Australia', AW: 'Aruba', AX: 'Aland Islands', AZ: 'Azerbaijan',
  BA: 'Bosnia and Herzegovina', BB: 'Barbados', BD: 'Bangladesh', BE: 'Belgium', BF: 'Burkina Faso',
  BG: 'Bulgaria', BH: 'Bahrain', BI: 'Burundi', BJ: 'Benin', BL: 'Saint Barthelemy', BM: 'Bermuda',
  BN: 'Brunei Darussalam', BO: 'Bolivia', BQ: 'Bonaire, Sint Eustatius and Saba', BR: 'Brazil', BS: 'Bahamas',
  BT: 'Bhutan', BV: 'Bouvet Island', BW: 'Botswana', BY: 'Belarus', BZ: 'Belize', CA: 'Canada',
  CC: 'Cocos (Keeling) Islands', CD: 'Democratic Republic of the Congo', CF: 'Central African Republic',
  CG: 'Congo', CH: 'Switzerland', CI: "Cote d'Ivoire", CK: 'Cook Islands', CL: 'Chile', CM: 'Cameroon',
  CN: 'China', CO: 'Colombia', CR: 'Costa Rica', CU: 'Cuba', CV: 'Cabo Verde', CW: 'Curacao',
  CX: 'Christmas Island', CY: 'Cyprus', CZ: 'Czechia', DE: 'Germany', DJ: 'Djibouti', DK: 'Denmark',
  DM: 'Dominica', DO: 'Dominican Republic', DZ: 'Algeria', EC: 'Ecuador', EE: 'Estonia', EG: 'Egypt',
  EH: 'Western Sahara', ER: 'Eritrea', ES: 'Spain', ET: 'Ethiopia', FI: 'Finland', FJ: 'Fiji',
  FK: 'Falkland Islands (Malvinas)', FM: 'Micronesia (Federated States of)', FO: 'Faroe Islands', FR: 'France',
  GA: 'Gabon', GB: 'United Kingdom', GD: 'Grenada', GE: 'Georgia', GF: 'French Guiana', GG: 'Guernsey',
  GH: 'Ghana', GI: 'Gibraltar', GL: 'Greenland', GM: 'Gambia', GN: 'Guinea', GP: 'Guadeloupe',
  GQ: 'Equatorial Guinea', GR: 'Greece', GS: 'South Georgia and the South Sandwich Islands', GT: 'Guatemala',
  GU: 'Guam', GW: 'Guinea-Bissau', GY: 'Guyana', HK: 'Hong Kong', HM: 'Heard Island and McDonald Islands',
  HN: 'Honduras', HR: 'Croatia', HT: 'Haiti', HU: 'Hungary', ID: 'Indonesia', IE: 'Ireland', IL: 'Israel',
  IM: 'Isle of Man', IN: 'India', IO: 'British Indian Ocean Territory', IQ: 'Iraq', IR: 'Iran', IS: 'Iceland',
  IT: 'Italy', JE: 'Jersey', JM: 'Jamaica', JO: 'Jordan', JP: 'Japan', KE: 'Kenya', KG: 'Kyrgyzstan',
  KH: 'Cambodia', KI: 'Kiribati', KM: 'Comoros', KN: 'Saint Kitts and Nevis', KP: 'North Korea',
  KR: 'South Korea', KW: 'Kuwait', KY: 'Cayman Islands', KZ: 'Kazakhstan', LA: 'Laos', LB: 'Lebanon',
  LC: 'Saint Lucia', LI: 'Liechtenstein', LK: 'Sri Lanka', LR: 'Liberia', LS: 'Lesotho', LT: 'Lithuania',
  LU: 'Luxembourg', LV: 'Latvia', LY: 'Libya', MA: 'Morocco', MC: 'Monaco', MD: 'Moldova', ME: 'Montenegro',
  MF: 'Saint Martin (French part)', MG: 'Madagascar', MH: 'Marshall Islands', MK: 'North Macedonia', ML: 'Mali',
  MM: 'Myanmar', MN: 'Mongolia', MO: 'Macao', MP: 'Northern Mariana Islands', MQ: 'Martinique',
  MR: 'Mauritania', MS: 'Montserrat', MT: 'Malta', MU: 'Mauritius', MV: 'Maldives', MW: 'Malawi', MX: 'Mexico',
  MY: 'Malaysia', MZ: 'Mozambique', NA: 'Namibia', NC: 'New Caledonia', NE: 'Niger', NF: 'Norfolk Island',
  NG: 'Nigeria', NI: 'Nicaragua', NL: 'Netherlands', NO: 'Norway', NP: 'Nepal', NR: 'Nauru', NU: 'Niue',
  NZ: 'New Zealand', OM: 'Oman', PA: 'Panama', PE: 'Peru', PF: 'French Polynesia', PG: 'Papua New Guinea',
  PH: 'Philippines', PK: 'Pakistan', PL: 'Poland', PM: 'Saint Pierre and Miquelon', PN: 'Pitcairn',
  PR: 'Puerto Rico', PS: 'Palestine', PT: 'Portugal', PW: 'Palau', PY: 'Paraguay', QA: 'Qatar', RE: 'Reunion',
  RO: 'Romania', RS: 'Serbia', RU: 'Russia', RW: 'Rwanda', SA: 'Saudi Arabia', SB: 'Solomon Islands',
  SC: 'Seychelles', SD: 'Sudan', SE: 'Sweden', SG: 'Singapore', SH: 'Saint Helena, Ascension and Tristan da Cunha',
  SI: 'Slovenia', SJ: 'Svalbard and Jan Mayen', SK: 'Slovakia', SL: 'Sierra Leone', SM: 'San Marino',
  SN: 'Senegal', SO: 'Somalia', SR: 'Suriname', SS: 'South Sudan', ST: 'Sao Tome and Principe',
  SV: 'El Salvador', SX: 'Sint Maarten (Dutch part)', SY: 'Syria', SZ: 'Eswatini',
  TC: 'Turks and Caicos Islands', TD: 'Chad', TF: 'French Southern Territories', TG: 'Togo', TH: 'Thailand',
  TJ: 'Tajikistan', TK: 'Tokelau', TL: 'Timor-Leste', TM: 'Turkmenistan', TN: 'Tunisia', TO: 'Tonga',
  TR: 'Turkey', TT: 'Trinidad and Tobago', TV: 'Tuvalu', TW: 'Taiwan', TZ: 'Tanzania', UA: 'Ukraine',
  UG: 'Uganda', UM: 'United States Minor Outlying Islands', US: 'United States', UY: 'Uruguay',
  UZ: 'Uzbekistan', VA: 'Holy See', VC: 'Saint Vincent and the Grenadines', VE: 'Venezuela',
  VG: 'British Virgin Islands', VI: 'United States Virgin Islands', VN: 'Viet Nam', VU: 'Vanuatu',
  WF: 'Wallis and Futuna', WS: 'Samoa', YE: 'Yemen', YT: 'Mayotte', ZA: 'South Africa', ZM: 'Zambia',
  ZW: 'Zimbabwe',
};

/** The officially assigned ISO 3166-1 alpha-2 codes, sorted. */
export const ISO_3166_ALPHA2: readonly string[] = Object.keys(ISO_NAMES).sort();

/**
 * Codes outside ISO 3166-1 that the EU, OFAC and OpenSanctions use for real jurisdictions:
 * XK (Kosovo, user-assigned). Entries may carry them, so validation accepts them.
 */
export const EXTRA_COUNTRY_CODES: readonly string[] = ['XK'];

const CODE_SET = new Set([...ISO_3166_ALPHA2, ...EXTRA_COUNTRY_CODES]);

/** True for an upper-case ISO 3166-1 alpha-2 code (or one of EXTRA_COUNTRY_CODES). */
export function isCountryCode(code: string): boolean {
  return CODE_SET.has(code);
}

/** Other spellings seen in OFAC, UN, CSL, DPL and EU files (and common official long forms). */
const VARIANTS: ReadonlyArray<[string, string]> = [
  ['Bahamas, The', 'BS'], ['The Bahamas', 'BS'], ['Bolivia (Plurinational State of)', 'BO'],
  ['Bosnia-Herzegovina', 'BA'], ['Brunei', 'BN'], ['Burma', 'MM'], ['Cape Verde', 'CV'],
  ['China, Hong Kong Special Administrative Region', 'HK'], ['Hong Kong SAR', 'HK'],
  ['China, Macao Special Administrative Region', 'MO'], ['Macau', 'MO'],
  ['Congo, Democratic Republic of the', 'CD'], ['Democratic Republic of Congo', 'CD'], ['DR Congo', 'CD'],
  ['Congo, Republic of the', 'CG'], ['Republic of the Congo', 'CG'], ['Republic of Congo', 'CG'],
  ['Cote d Ivoire', 'CI'], ['Ivory Coast', 'CI'], ['Czech Republic', 'CZ'],
  ["Democratic People's Republic of Korea", 'KP'], ['Korea, North', 'KP'], ['Korea, Democratic People\'s Republic of', 'KP'],
  ['Korea, South', 'KR'], ['Republic of Korea', 'KR'], ['Korea, Republic of', 'KR'],
  ['Gambia, The', 'GM'], ['The Gambia', 'GM'], ['Iran (Islamic Republic of)', 'IR'], ['Iran, Islamic Republic of', 'IR'],
  ['Islamic Republic of Iran', 'IR'], ["Lao People's Democratic Republic", 'LA'], ['Libyan Arab Jamahiriya', 'LY'],
  ['Macedonia', 'MK'], ['Macedonia, The Former Yugoslav Republic of', 'MK'],
  ['The former Yugoslav Republic of Macedonia', 'MK'], ['Man, Isle of', 'IM'], ['Micronesia, Federated States of', 'FM'],
  ['Moldova, Republic of', 'MD'], ['Republic of Moldova', 'MD'], ['Netherlands (Kingdom of the)', 'NL'],
  ['Palestinian', 'PS'], ['Palestinian Authority', 'PS'], ['State of Palestine', 'PS'], ['Palestine, State of', 'PS'],
  ['West Bank', 'PS'], ['Gaza', 'PS'], ['Region: Gaza', 'PS'], ['Region: West Bank', 'PS'],
  // Crimea is part of Ukraine in ISO 3166 and in every list's own legal view; OFAC writes it as a "Region".
  ['Region: Crimea', 'UA'], ['Crimea', 'UA'], ['Region: Northern Mali', 'ML'],
  ['Russian Federation', 'RU'], ['Syrian Arab Republic', 'SY'], ['Taiwan, Province of China', 'TW'],
  ['Tanzania, United Republic of', 'TZ'], ['United Republic of Tanzania', 'TZ'], ['Turkiye', 'TR'],
  ['United Kingdom of Great Britain and Northern Ireland', 'GB'], ['U.K.', 'GB'], ['UK', 'GB'], ['Great Britain', 'GB'],
  ['United States of America', 'US'], ['USA', 'US'], ['U.S.A.', 'US'], ['Venezuela (Bolivarian Republic of)', 'VE'],
  ['Vietnam', 'VN'], ['Virgin Islands, British', 'VG'], ['Virgin Islands (British)', 'VG'],
  ['Virgin Islands, U.S.', 'VI'], ['Kosovo', 'XK'], ['Swaziland', 'SZ'], ['East Timor', 'TL'],
  ['Holy See (Vatican City State)', 'VA'], ['Vatican', 'VA'], ['Curaçao', 'CW'], ['Réunion', 'RE'],
  ['Saint Barthélemy', 'BL'], ['Åland Islands', 'AX'], ['Sao Tome & Principe', 'ST'], ['Czechoslovakia', 'CZ'],
];

function key(name: string): string {
  return name
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '');
}

const BY_NAME: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const [code, name] of Object.entries(ISO_NAMES)) map.set(key(name), code);
  for (const [name, code] of VARIANTS) map.set(key(name), code);
  return map;
})();

/**
 * ISO alpha-2 code for a country as a list writes it, or undefined when the text is not a country
 * ("None Identified", "former Soviet Union", "undetermined", a city...). A valid upper-case 2-letter code passes through.
 */
export function countryToIso2(name: string | undefined | null): string | undefined {
  if (!name) return undefined;
  const trimmed = name.trim();
  // Only upper case: the UN writes "na" for "not available", which must not become Namibia.
  if (/^[A-Z]{2}$/.test(trimmed)) return isCountryCode(trimmed) ? trimmed : undefined;
  return BY_NAME.get(key(trimmed));
}

/** English short name for a code (for display and tests). */
export function countryName(code: string): string | undefined {
  return ISO_NAMES[code] ?? (code === 'XK' ? 'Kosovo' : undefined);
}
