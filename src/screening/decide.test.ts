import { decide } from './declaration-screening';
import type { Hit } from './hits';
import { loadRuleset } from './ruleset';

const ruleset = loadRuleset();

function hit(partial: Partial<Hit>): Hit {
  return { id: 'x', kind: 'goods', severity: 'high', score: 1, subject: 'items[0]', explanation: '', weight: 30, ...partial };
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
    const hits = [hit({}), hit({ kind: 'route', weight: 40, evidence: { rule: 'high-risk-country' } }), hit({ kind: 'route', weight: 35, evidence: { rule: 'restricted-origin-reexport' } })];
    expect(decide(hits, ruleset)).toEqual({ outcome: 'REVIEW', riskScore: 100 });
  });

  it('blocks a strong party match, reviews a weaker one, and ignores suppressed hits', () => {
    expect(decide([hit({ kind: 'party', score: 0.97, weight: 58 })], ruleset).outcome).toBe('BLOCK');
    expect(decide([hit({ kind: 'party', score: 0.88, weight: 53 })], ruleset).outcome).toBe('REVIEW');
    expect(decide([hit({ kind: 'party', score: 0.97, weight: 58, suppressed: true })], ruleset)).toEqual({ outcome: 'CLEAR', riskScore: 0 });
  });
});
