import type { DeclarationInput, PartyInput } from '../declarations/declarations.schemas';
import { validateIdentifier } from '../identifiers/validate';
import { reconcileInvoices } from '../invoices/invoice-reconciliation';
import type { HsNomenclature } from '../lists/hs-nomenclature';
import type { Dossier } from './dossier';
import type { LoadedLists } from '../lists/loaded-lists';
import { normalizeHsCode } from './hs-code';
import { hitId, type Hit } from './hits';
import { partyFingerprint, type PartyMatch } from './matching';
import type { Ruleset } from './ruleset';

export interface ScreeningContext {
  /** One consistent set of loaded list versions (see ReferenceIndex.current). */
  index: LoadedLists;
  hs: HsNomenclature;
  ruleset: Ruleset;
  /** The organisation's records the declaration cites (licences, invoices); absent when none were loaded. */
  dossier?: Dossier;
}

interface SubjectParty {
  subject: string;
  party: PartyInput;
}

/** Every party of a declaration with its subject path, including each line's manufacturer. */
export function partiesOf(d: DeclarationInput): SubjectParty[] {
  const out: SubjectParty[] = [];
  for (const role of ['declarant', 'consignor', 'consignee', 'notifyParty', 'endUser', 'carrier'] as const) {
    const party = d[role];
    if (party) out.push({ subject: role, party });
  }
  d.items.forEach((item, i) => { if (item.manufacturer) out.push({ subject: `items[${i}].manufacturer`, party: item.manufacturer }); });
  return out;
}

function partyHit(subject: string, party: PartyInput, m: PartyMatch, ruleset: Ruleset): Hit {
  const strong = m.score >= ruleset.partyBands.block;
  const weight = m.matchKind === 'identifier' ? ruleset.weights.identifierMatch : Math.round(ruleset.weights.party * m.score);
  return {
    id: hitId('party', subject, `${m.listId}|${m.entryId}`),
    kind: 'party',
    severity: strong ? 'critical' : 'high',
    score: m.score,
    subject,
    listId: m.listId,
    versionId: m.versionId,
    entryId: m.entryId,
    matched: m.matchedName,
    explanation: `${subject} "${party.name}" ${m.matchKind === 'identifier' ? 'has the identifier of' : 'matches'} ${m.listId} entry ${m.entryId} "${m.matchedName}" (score ${m.score.toFixed(2)}): ${m.explanation.summary}`,
    evidence: { query: { name: party.name, country: party.country, identifiers: party.identifiers ?? [] }, match: m.explanation, entry: m.entry, matchKind: m.matchKind },
    weight,
    partyFingerprint: partyFingerprint({ name: party.name, country: party.country }),
  };
}

function screenParties(d: DeclarationInput, ctx: ScreeningContext, hits: Hit[]): void {
  for (const { subject, party } of partiesOf(d)) {
    const matches = ctx.index.matcher.screen(
      { name: party.name, country: party.country, identifiers: party.identifiers },
      { minScore: ctx.ruleset.partyBands.review, limit: 5 },
    );
    for (const m of matches) hits.push(partyHit(subject, party, m, ctx.ruleset));
    (party.identifiers ?? []).forEach((ident, j) => {
      if (ident.type === 'OTHER') return;
      const check = validateIdentifier(ident.type, ident.value);
      if (check.valid) return;
      const where = `${subject}.identifiers[${j}]`;
      hits.push({
        id: hitId('indicator', where, `invalid:${ident.type}:${ident.value}`),
        kind: 'indicator', severity: 'low', score: 1, subject: where, matched: `${ident.type} ${ident.value}`,
        explanation: `${ident.type} ${ident.value} of ${subject} is not a valid ${ident.type} (${check.reason}): a typo, or a number that does not exist`,
        evidence: { rule: 'invalid-identifier', type: ident.type, value: ident.value, reason: check.reason },
        weight: ctx.ruleset.weights.invalidIdentifier,
      });
    });
  }
}

/** Goods by HS code prefix, plus the line-level indicators: unknown code, controlled item named in the description. */
function screenGoods(d: DeclarationInput, ctx: ScreeningContext, hits: Hit[]): Set<number> {
  const controlledLines = new Set<number>();
  d.items.forEach((item, i) => {
    const subject = `items[${i}]`;
    const code = normalizeHsCode(item.hsCode);
    if (!code.ok) return;
    const found = ctx.index.goodsFor(code.code);
    for (const g of found) {
      controlledLines.add(i);
      hits.push({
        id: hitId('goods', subject, `${g.listId}|${g.prefix}`),
        kind: 'goods', severity: g.severity, score: 1, subject, listId: g.listId, versionId: g.versionId, entryId: g.prefix, matched: g.label,
        explanation: `line ${item.lineNo}: HS ${code.code} falls under ${g.listId} entry ${g.prefix} (${g.source ?? g.listId}, ${g.severity}): ${g.label}`,
        evidence: { hsCode: code.code, prefix: g.prefix, label: g.label, source: g.source, severity: g.severity, description: item.description },
        weight: ctx.ruleset.weights.goods[g.severity],
      });
    }
    const known = ctx.hs.lookup(code.code);
    if (!known.exists) {
      hits.push({
        id: hitId('indicator', subject, `unknown-hs:${code.code}`),
        kind: 'indicator', severity: 'low', score: 1, subject, matched: code.code,
        explanation: `line ${item.lineNo}: HS ${known.hsCode ?? code.code} does not exist in HS2022: a typo, an outdated edition or a wrong code`,
        evidence: { rule: 'unknown-hs-code', hsCode: code.code, checked: known.hsCode },
        weight: ctx.ruleset.weights.unknownHsCode,
      });
    }
    if (found.length === 0) {
      const keyword = ctx.ruleset.keywordPatterns.find((k) => k.regex.test(item.description));
      if (keyword) {
        hits.push({
          id: hitId('indicator', subject, `keyword:${keyword.label}`),
          kind: 'indicator', severity: 'medium', score: 1, subject, matched: keyword.label,
          explanation: `line ${item.lineNo}: the description "${item.description.slice(0, 80)}" names a controlled item (${keyword.label}) under HS ${code.code}, which no goods list covers: possible misclassification`,
          evidence: { rule: 'controlled-description', keyword: keyword.label, hsCode: code.code, description: item.description },
          weight: ctx.ruleset.weights.descriptionKeyword,
        });
      }
    }
  });
  return controlledLines;
}

/** Route: high-risk countries anywhere on the route or among the parties; restricted-origin goods in transit or re-export. */
function screenRoute(d: DeclarationInput, ctx: ScreeningContext, controlledLines: Set<number>, hits: Hit[]): void {
  const { ruleset } = ctx;
  const controlled = controlledLines.size > 0;
  const places: { subject: string; country: string }[] = [
    { subject: 'countryOfDestination', country: d.countryOfDestination },
    { subject: 'countryOfDispatch', country: d.countryOfDispatch },
    ...(d.transitCountries ?? []).map((country, i) => ({ subject: `transitCountries[${i}]`, country })),
    ...partiesOf(d).map(({ subject, party }) => ({ subject: `${subject}.country`, country: party.country })),
  ];
  const flagged = new Set<string>();
  for (const { subject, country } of places) {
    if (!ruleset.highRisk.has(country) || flagged.has(country)) continue;
    flagged.add(country);
    hits.push({
      id: hitId('route', subject, country),
      kind: 'route', severity: controlled ? 'high' : 'medium', score: 1, subject, matched: country,
      explanation: controlled
        ? `${subject} is ${country}, a high-risk country, and the declaration carries controlled goods (${[...controlledLines].map((i) => `items[${i}]`).join(', ')})`
        : `${subject} is ${country}, a high-risk country`,
      evidence: { rule: 'high-risk-country', country, controlledLines: [...controlledLines] },
      weight: controlled ? ruleset.weights.highRiskCountryWithControlledGoods : ruleset.weights.highRiskCountry,
    });
  }
  if (d.procedure === 'import') return;
  const routeHighRisk = flagged.size > 0;
  d.items.forEach((item, i) => {
    if (!controlledLines.has(i) || !ruleset.exportBan.has(item.countryOfOrigin)) return;
    const subject = `items[${i}]`;
    hits.push({
      id: hitId('route', subject, `restricted-origin:${item.countryOfOrigin}`),
      kind: 'route', severity: routeHighRisk ? 'critical' : 'high', score: 1, subject, matched: item.countryOfOrigin,
      explanation: `line ${item.lineNo}: controlled goods made in ${item.countryOfOrigin}, which bans their export to Russia, declared for ${d.procedure === 'transit' ? 'transit' : 're-export'}${routeHighRisk ? ` on a route through ${[...flagged].join(', ')}` : ''}`,
      evidence: { rule: 'restricted-origin-reexport', countryOfOrigin: item.countryOfOrigin, procedure: d.procedure, highRiskOnRoute: [...flagged] },
      weight: ruleset.weights.restrictedOriginReexport,
    });
  });
}

/**
 * The cited electronic invoices against the declared lines (src/invoices/invoice-reconciliation.ts). Without a loaded
 * dossier nothing was looked up, so nothing can be called missing.
 */
function screenInvoices(d: DeclarationInput, ctx: ScreeningContext, hits: Hit[]): void {
  if (!d.invoiceNumbers?.length || !ctx.dossier) return;
  hits.push(...reconcileInvoices(d, ctx.dossier.invoices, ctx.ruleset));
}

/** Every hit the declaration raises, before false-positive marks are applied. Pure and synchronous. */
export function collectHits(d: DeclarationInput, ctx: ScreeningContext): Hit[] {
  const hits: Hit[] = [];
  const controlledLines = screenGoods(d, ctx, hits);
  screenParties(d, ctx, hits);
  screenRoute(d, ctx, controlledLines, hits);
  screenInvoices(d, ctx, hits);
  return hits;
}

export type Outcome = 'CLEAR' | 'REVIEW' | 'BLOCK';

/**
 * Risk score and outcome from the hits that are not suppressed. The score adds, per rule, the weight of its strongest
 * hit (ten controlled lines weigh as much as the riskiest one; a controlled line plus a sanctioned destination weighs
 * more than either), capped at 100. BLOCK is reserved to a strong or identifier match of a listed party: goods and
 * routes alone mean "look", never "refuse".
 */
export function decide(hits: Hit[], ruleset: Ruleset): { outcome: Outcome; riskScore: number } {
  const strongest = new Map<string, number>();
  for (const h of hits) {
    if (h.suppressed) continue;
    const rule = h.kind === 'goods' || h.kind === 'party' ? h.kind : String(h.evidence?.rule ?? h.kind);
    strongest.set(rule, Math.max(strongest.get(rule) ?? 0, h.weight));
  }
  const riskScore = Math.min(100, Math.round([...strongest.values()].reduce((a, b) => a + b, 0)));
  const live = hits.filter((h) => !h.suppressed && h.kind === 'party');
  if (live.some((h) => h.score >= ruleset.partyBands.block)) return { outcome: 'BLOCK', riskScore };
  if (live.length > 0 || riskScore >= ruleset.riskThresholds.review) return { outcome: 'REVIEW', riskScore };
  return { outcome: 'CLEAR', riskScore };
}
