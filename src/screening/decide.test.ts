import { decide } from './declaration-screening';
import type { Hit } from './hits';
import { loadRuleset } from './ruleset';

const ruleset = loadRuleset();

function hit(partial: Partial<Hit>): Hit {
  return {
    id: 'x',
    kind: 'goods',
    severity: 'high',
    score: 1,
    subject: 'items[0]',
    explanation: '',
    weight: 30,
    ...partial,
  };
}

describe('decide', () => {
  it('clears a declaration without hits', () => {
    expect(decide([], ruleset)).toEqual({ outcome: 'CLEAR', riskScore: 0 });
  });

  it('counts each rule once, by its strongest hit: ten controlled lines are one goods risk', () => {
    const goods = Array.from({ length: 10 }, (_, i) => hit({ subject: `items[${i}]` }));
    expect(decide(goods, ruleset)).toEqual({ outcome: 'CLEAR', riskScore: 30 });
  });

  it('sends controlled goods bound for a high-risk country to review, never to block', () => {
    const hits = [
      hit({}),
      hit({ kind: 'route', weight: 40, evidence: { rule: 'high-risk-country' } }),
      hit({ kind: 'route', weight: 35, evidence: { rule: 'restricted-origin-reexport' } }),
    ];
    expect(decide(hits, ruleset)).toEqual({ outcome: 'REVIEW', riskScore: 100 });
  });

  it('blocks a strong party match, reviews a weaker one, and ignores suppressed hits', () => {
    expect(decide([hit({ kind: 'party', score: 0.97, weight: 58 })], ruleset).outcome).toBe('BLOCK');
    expect(decide([hit({ kind: 'party', score: 0.88, weight: 53 })], ruleset).outcome).toBe('REVIEW');
    expect(decide([hit({ kind: 'party', score: 0.97, weight: 58, suppressed: true })], ruleset)).toEqual({
      outcome: 'CLEAR',
      riskScore: 0,
    });
  });

  it('applies the default override: restricted-origin goods onward to a high-risk or diversion-hub destination BLOCK', () => {
    const restricted = hit({ id: 'r', kind: 'route', weight: 35, evidence: { rule: 'restricted-origin-reexport' } });
    expect(decide([hit({}), restricted], ruleset, { procedure: 'export', countryOfDestination: 'RU' })).toEqual({
      outcome: 'BLOCK',
      riskScore: 65,
      overrides: [{ rule: 'restricted-origin-reexport', outcome: 'BLOCK', hitIds: ['r'] }],
    });
    expect(decide([hit({}), restricted], ruleset, { procedure: 'transit', countryOfDestination: 'AM' }).outcome).toBe(
      'BLOCK',
    );
    // Not a listed destination, or no declaration to judge the condition on: the score decides, as before.
    expect(decide([hit({}), restricted], ruleset, { procedure: 'export', countryOfDestination: 'CN' })).toEqual({
      outcome: 'REVIEW',
      riskScore: 65,
    });
    expect(decide([hit({}), restricted], ruleset)).toEqual({ outcome: 'REVIEW', riskScore: 65 });
    // A suppressed hit does not trigger it.
    expect(
      decide([{ ...restricted, suppressed: true }], ruleset, { procedure: 'export', countryOfDestination: 'RU' })
        .outcome,
    ).toBe('CLEAR');
  });

  it('never lowers an outcome with an override, and applies one without conditions to any live hit of its rule', () => {
    const custom = { ...ruleset, outcomeOverrides: [{ rule: 'goods', outcome: 'REVIEW' as const }] };
    expect(decide([hit({ weight: 5 })], custom)).toMatchObject({ outcome: 'REVIEW', riskScore: 5 });
    expect(decide([hit({ kind: 'party', score: 0.97, weight: 58 }), hit({})], custom).outcome).toBe('BLOCK');
  });

  it('does not count a licensed goods hit (weight 0 in the shipped rule set)', () => {
    expect(ruleset.licences.licensedGoodsWeight).toBe(0);
    expect(
      decide(
        [hit({ weight: ruleset.licences.licensedGoodsWeight, evidence: { licence: { status: 'licensed' } } })],
        ruleset,
      ),
    ).toEqual({ outcome: 'CLEAR', riskScore: 0 });
  });
});
