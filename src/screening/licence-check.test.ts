import type { DeclarationInput } from './declaration-input';
import type { CitedLicence } from './dossier';
import { checkCitedLines, checkLicence } from './licence-check';

const licence: CitedLicence = {
  id: 'l1',
  number: 'KZ-1',
  holder: { name: 'Kedendik Broker LLP', country: 'KZ', identifiers: [{ type: 'BIN', value: '940140000385' }] },
  hsPrefixes: ['854231'],
  destinationCountries: ['RU'],
  validFrom: '2026-01-01',
  validTo: '2026-12-31',
  limit: { kind: 'quantity', amount: 100, unit: 'pcs' },
  revoked: false,
  used: 0,
};

function declaration(overrides: Partial<DeclarationInput> = {}): DeclarationInput {
  return {
    reference: 'R',
    procedure: 'export',
    countryOfDispatch: 'KZ',
    countryOfDestination: 'RU',
    declarant: { name: 'Kedendik Broker LLP', country: 'KZ', identifiers: [{ type: 'BIN', value: '9401 4000 0385' }] },
    consignor: { name: 'Anadolu Mobilya', country: 'TR' },
    consignee: { name: 'Vostok', country: 'RU' },
    items: [
      {
        lineNo: 1,
        hsCode: '8542.31.000.0',
        description: 'MCU',
        countryOfOrigin: 'CN',
        quantity: 60,
        unit: 'PCS',
        value: { amount: 10, currency: 'USD' },
        licenceNumber: 'kz-1',
      },
    ],
    ...overrides,
  };
}

describe('checkLicence', () => {
  const d = declaration();
  const item = d.items[0];

  it('covers a line in force, in scope and within the balance; identifiers compare normalised, units case-insensitively', () => {
    expect(checkLicence(licence, 'kz-1', item, d, '2026-06-01')).toMatchObject({
      ok: true,
      amount: 60,
      remainingBefore: 100,
      holderMatchedBy: 'identifier',
      holderParty: 'declarant',
    });
  });

  it('is judged on the screening day, validity inclusive', () => {
    expect(checkLicence(licence, 'kz-1', item, d, '2026-12-31').ok).toBe(true);
    expect(checkLicence(licence, 'kz-1', item, d, '2027-01-01')).toMatchObject({ ok: false, problem: 'expired' });
    expect(checkLicence(licence, 'kz-1', item, d, '2025-12-31')).toMatchObject({ ok: false, problem: 'not_yet_valid' });
  });

  it('lets identifiers of the same type decide over names: the same name with another BIN is another holder', () => {
    const other = declaration({
      declarant: { name: 'Kedendik Broker LLP', country: 'KZ', identifiers: [{ type: 'BIN', value: '000740000728' }] },
    });
    expect(checkLicence(licence, 'kz-1', other.items[0], other, '2026-06-01')).toMatchObject({
      ok: false,
      problem: 'out_of_scope',
      scope: 'holder',
    });
    const noIds = declaration({ declarant: { name: 'KEDENDIK BROKER', country: 'KZ' } });
    expect(checkLicence(licence, 'kz-1', noIds.items[0], noIds, '2026-06-01')).toMatchObject({
      ok: true,
      holderMatchedBy: 'name',
    });
  });

  it('counts what earlier lines of the declaration take, and an overdrawn licence stays exhausted', () => {
    const two = declaration({ items: [item, { ...item, lineNo: 2 }] });
    const checks = checkCitedLines(two, new Map([['KZ-1', licence]]), '2026-06-01');
    expect(checks.map((c) => (c.check.ok ? 'ok' : c.check.problem))).toEqual(['ok', 'exhausted']);
    expect(checkLicence({ ...licence, used: 120 }, 'kz-1', item, d, '2026-06-01')).toMatchObject({
      ok: false,
      problem: 'exhausted',
      remainingBefore: -20,
    });
    expect(checkLicence({ ...licence, limit: null, used: 0 }, 'kz-1', item, d, '2026-06-01')).toMatchObject({
      ok: true,
      remainingBefore: null,
    });
  });
});
