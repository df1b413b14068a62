export { normalizeIdentifier, validateIdentifier, type IdentifierValidation } from './validate';
export { checkImo, checkInn, checkKzBin, checkKzIin, checkOgrn, kzCheckDigit } from './checksums';
export { ISO_3166_ALPHA2, EXTRA_COUNTRY_CODES, countryName, countryToIso2, isCountryCode } from './countries';
export { classifyIdentifierLabel, matchIdentifierLabel, refineIdentifier } from './labels';
