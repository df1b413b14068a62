import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRuleset, parseRuleset } from './ruleset';

const shipped = readFileSync(join(__dirname, '..', '..', 'config', 'ruleset.json'), 'utf8');

describe('rule set', () => {
  it('loads the shipped config/ruleset.json with the default high-risk and export-ban countries', () => {
    const r = loadRuleset();
    expect(r.rulesetVersion).toMatch(/^2026\.11\.1\+[0-9a-f]{12}$/);
    for (const c of ['RU', 'BY', 'IR', 'KP', 'SY', 'CU']) expect(r.highRisk.has(c)).toBe(true);
    for (const c of ['DE', 'US', 'GB', 'JP']) expect(r.exportBan.has(c)).toBe(true);
    expect(r.keywordPatterns.some((k) => k.regex.test('STM32 microcontroller'))).toBe(true);
    for (const c of ['AM', 'KG', 'AE', 'TR', 'GE']) expect(r.diversionHubs.has(c)).toBe(true);
    expect(r.diversionHubs.has('KZ')).toBe(false);
    expect(r.outcomeOverrides).toEqual([
      expect.objectContaining({
        rule: 'restricted-origin-reexport',
        outcome: 'BLOCK',
        when: { destinationIn: ['highRisk', 'diversionHub'], procedureIn: ['export', 'transit'] },
      }),
    ]);
  });

  it('refuses a malformed override or licence block, naming the field', () => {
    const bad = JSON.parse(shipped);
    bad.outcomeOverrides.push({
      rule: 'restricted-origin-reexport',
      when: { destinationIn: ['nowhere'] },
      outcome: 'BLOCK',
    });
    bad.outcomeOverrides.push({ rule: 'x', outcome: 'CLEAR' });
    bad.outcomeOverrides.push({ rule: 'x', outcome: 'BLOCK', unless: {} });
    bad.licences.weights.unknown = 101;
    bad.diversionHubCountries.push('QQ');
    const attempt = () => parseRuleset(JSON.stringify(bad));
    expect(attempt).toThrow(/outcomeOverrides\.1\.when\.destinationIn/);
    expect(attempt).toThrow(/outcomeOverrides\.2\.outcome/);
    expect(attempt).toThrow(/outcomeOverrides\.3/);
    expect(attempt).toThrow(/licences\.weights\.unknown/);
    expect(attempt).toThrow(/diversionHubCountries/);
  });

  it('changes rulesetVersion on any edit, even with the same declared version', () => {
    const edited = JSON.parse(shipped);
    edited.riskThresholds.review = 45;
    expect(parseRuleset(JSON.stringify(edited, null, 2)).rulesetVersion).not.toBe(parseRuleset(shipped).rulesetVersion);
  });

  it('refuses an invalid rule set, naming the field', () => {
    const bad = JSON.parse(shipped);
    bad.highRiskCountries.push('XX');
    bad.partyBands.review = 0.99;
    bad.controlledKeywords.push({ pattern: '(unclosed', label: 'x' });
    const attempt = () => parseRuleset(JSON.stringify(bad));
    expect(attempt).toThrow(/highRiskCountries/);
    expect(attempt).toThrow(/partyBands/);
    expect(attempt).toThrow(/controlledKeywords/);
  });
});
