import type { DeclarationInput } from '../screening/declaration-input';
import type { EntityEntry } from '../domain/list-entry';
import { DeltaScreen } from './delta';

const entry = (entryId: string, name: string, identifiers: EntityEntry['identifiers'] = []): EntityEntry => ({
  entryId,
  kind: 'organization',
  names: [name],
  countries: ['RU'],
  programs: ['TEST'],
  identifiers,
});

function declaration(consigneeName: string, hsCode = '940360'): DeclarationInput {
  return {
    reference: 'R-1',
    procedure: 'import',
    declarant: { name: 'Kedendik Broker LLP', country: 'KZ' },
    consignor: { name: 'Anadolu Mobilya Sanayi A.S.', country: 'TR' },
    consignee: { name: consigneeName, country: 'RU' },
    countryOfDispatch: 'TR',
    countryOfDestination: 'KZ',
    items: [{ lineNo: 1, hsCode, description: 'desks', countryOfOrigin: 'TR', value: { amount: 1, currency: 'USD' } }],
  } as DeclarationInput;
}

describe('DeltaScreen', () => {
  const delta = DeltaScreen.forEntities(
    'watch',
    'v2',
    [
      entry('N-1', 'Polar Star Logistics LLC'),
      entry('N-2', 'Borealis Machine Tools', [{ type: 'INN', value: '7704681172' }]),
    ],
    0.85,
  );

  it('finds the parties that hit an added or changed entry, by name or identifier', () => {
    expect([...delta.affected(declaration('OOO Polar Star Logistics'))]).toEqual(['N-1']);
    const byId = declaration('Somebody Else');
    byId.consignee = { name: 'Somebody Else', country: 'RU', identifiers: [{ type: 'INN', value: '7704681172' }] };
    expect([...delta.affected(byId)]).toEqual(['N-2']);
  });

  it('leaves declarations the delta does not touch', () => {
    expect(delta.affected(declaration('Astana Interiors LLP')).size).toBe(0);
    expect(
      DeltaScreen.forEntities('watch', 'v2', [], 0.85).affected(declaration('Polar Star Logistics LLC')).size,
    ).toBe(0);
  });

  it('matches goods codes against the changed prefixes', () => {
    const goods = DeltaScreen.forGoods('chpl', [
      { prefix: '8542', severity: 'high', label: 'ICs' },
      { prefix: '854231', severity: 'high', label: 'MCUs' },
    ]);
    expect([...goods.affected(declaration('x', '8542.31.000.0'))].sort()).toEqual(['8542', '854231']);
    expect(goods.affected(declaration('x', '9403.60')).size).toBe(0);
  });
});
