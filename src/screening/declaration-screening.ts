import type { DeclarationInput, PartyInput } from './declaration-input';
import { validateIdentifier } from '../identifiers/validate';
import { reconcileInvoices } from './invoice-reconciliation';
import type { HsNomenclature } from './hs-lookup';
import { checkCitedLines, measure } from './licence-check';
import {
  addressSentence,
  declaredAddress,
  listedAddressHits,
  nameMatchFloor,
  withAddressMatch,
} from './address-screening';
import type { Dossier } from './dossier';
import type { NationalTariff } from './national-tariff';
import type { LoadedLists } from './loaded-lists';
import { normalizeHsCode } from './hs-code';
import { hitId, type Hit } from './hits';
import { partyFingerprint, type PartyMatch } from './matching';
import type { Ruleset } from './ruleset';
import { blocksAsParty, ownershipHit } from './ownership/ownership-hits';

export interface ScreeningContext {
  /** One consistent set of loaded list versions (see ReferenceIndex.current). */
  index: LoadedLists;
  hs: HsNomenclature;
  ruleset: Ruleset;
  /** The organisation's records the declaration cites (licences, invoices); absent when none were loaded. */
  dossier?: Dossier;
  /** The national tariff nomenclature (NATIONAL_TARIFF_FILE): codes past six digits are checked only when one is set. */
  nationalTariff?: NationalTariff;
  /** The screening day (YYYY-MM-DD, UTC) against which licence validity is judged; today unless given. */
  today?: string;
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
  d.items.forEach((item, i) => {
    if (item.manufacturer) out.push({ subject: `items[${i}].manufacturer`, party: item.manufacturer });
  });
  return out;
}

function partyHit(
  subject: string,
  party: PartyInput,
  m: PartyMatch,
  ruleset: Ruleset,
  topicSeverity?: Hit['severity'],
): Hit {
  const strong = m.score >= ruleset.partyBands.block;
  // A topic-tagged target (OpenSanctions) carries the severity the rule set gives its topics; a weak match is at most high.
  const severity = topicSeverity
    ? strong || topicSeverity !== 'critical'
      ? topicSeverity
      : 'high'
    : strong
      ? 'critical'
      : 'high';
  const weight =
    m.matchKind === 'identifier' ? ruleset.weights.identifierMatch : Math.round(ruleset.weights.party * m.score);
  return {
    id: hitId('party', subject, `${m.listId}|${m.entryId}`),
    kind: 'party',
    severity,
    score: m.score,
    subject,
    listId: m.listId,
    versionId: m.versionId,
    entryId: m.entryId,
    matched: m.matchedName,
    explanation: `${subject} "${party.name}" ${m.matchKind === 'identifier' ? 'has the identifier of' : 'matches'} ${m.listId} entry ${m.entryId} "${m.matchedName}" (score ${m.score.toFixed(2)}): ${m.explanation.summary}`,
    evidence: {
      query: { name: party.name, country: party.country, identifiers: party.identifiers ?? [] },
      match: m.explanation,
      entry: m.entry,
      matchKind: m.matchKind,
    },
    weight,
    partyFingerprint: partyFingerprint({ name: party.name, country: party.country }),
  };
}

function screenParties(d: DeclarationInput, ctx: ScreeningContext, hits: Hit[]): void {
  for (const { subject, party } of partiesOf(d)) {
    const address = declaredAddress(party);
    const matches = ctx.index.matcher.screen(
      { name: party.name, country: party.country, identifiers: party.identifiers },
      { minScore: nameMatchFloor(ctx.ruleset.partyBands.review, address), limit: 5 },
    );
    const matched = new Set<string>();
    for (const found of matches) {
      // The declared address can raise a name match (bounded, see address-screening.ts) but never lowers one.
      const { match: m, address: same } = withAddressMatch(found, address, ctx.index);
      if (m.score < ctx.ruleset.partyBands.review) continue;
      matched.add(`${m.listId}|${m.entryId}`);
      // A context record (kept because a listed party owns or runs it) is not listed: matching it is no hit by itself,
      // only through what the ownership graph says about it.
      if (!ctx.index.isContext(m.listId, m.entryId)) {
        const hit = partyHit(subject, party, m, ctx.ruleset, ctx.index.topicSeverity(m.listId, m.entryId));
        if (same) {
          hit.explanation += addressSentence(same);
          hit.evidence = { ...hit.evidence, address: same };
        }
        hits.push(hit);
      }
      const owned = ctx.index.ownership(m.listId, m.entryId);
      if (owned) hits.push(ownershipHit(subject, party, m, owned, ctx.index, ctx.ruleset));
    }
    hits.push(...listedAddressHits(subject, party, address, matched, ctx.index, ctx.ruleset));
    (party.identifiers ?? []).forEach((ident, j) => {
      if (ident.type === 'OTHER') return;
      const check = validateIdentifier(ident.type, ident.value);
      if (check.valid) return;
      const where = `${subject}.identifiers[${j}]`;
      hits.push({
        id: hitId('indicator', where, `invalid:${ident.type}:${ident.value}`),
        kind: 'indicator',
        severity: 'low',
        score: 1,
        subject: where,
        matched: `${ident.type} ${ident.value}`,
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
        kind: 'goods',
        severity: g.severity,
        score: 1,
        subject,
        listId: g.listId,
        versionId: g.versionId,
        entryId: g.prefix,
        matched: g.label,
        explanation: `line ${item.lineNo}: HS ${code.code} falls under ${g.listId} entry ${g.prefix} (${g.source ?? g.listId}, ${g.severity}): ${g.label}`,
        evidence: {
          hsCode: code.code,
          prefix: g.prefix,
          label: g.label,
          source: g.source,
          severity: g.severity,
          description: item.description,
        },
        weight: ctx.ruleset.weights.goods[g.severity],
      });
    }
    const known = ctx.hs.lookup(code.code);
    if (!known.exists) {
      hits.push({
        id: hitId('indicator', subject, `unknown-hs:${code.code}`),
        kind: 'indicator',
        severity: 'low',
        score: 1,
        subject,
        matched: code.code,
        explanation: `line ${item.lineNo}: HS ${known.hsCode ?? code.code} does not exist in HS2022: a typo, an outdated edition or a wrong code`,
        evidence: { rule: 'unknown-hs-code', hsCode: code.code, checked: known.hsCode },
        weight: ctx.ruleset.weights.unknownHsCode,
      });
    }
    if (ctx.nationalTariff && code.code.length > 6 && !ctx.nationalTariff.knows(code.code)) {
      hits.push({
        id: hitId('indicator', subject, `unknown-national-code:${code.code}`),
        kind: 'indicator',
        severity: 'low',
        score: 1,
        subject,
        matched: code.code,
        explanation: `line ${item.lineNo}: national code ${code.code} is not in the national tariff nomenclature: a typo, an outdated code or a made-up subheading`,
        evidence: { rule: 'unknown-national-code', hsCode: code.code, nomenclature: ctx.nationalTariff.source },
        weight: ctx.ruleset.weights.unknownNationalCode,
      });
    }
    if (found.length === 0) {
      const keyword = ctx.ruleset.keywordPatterns.find((k) => k.regex.test(item.description));
      if (keyword) {
        hits.push({
          id: hitId('indicator', subject, `keyword:${keyword.label}`),
          kind: 'indicator',
          severity: 'medium',
          score: 1,
          subject,
          matched: keyword.label,
          explanation: `line ${item.lineNo}: the description "${item.description.slice(0, 80)}" names a controlled item (${keyword.label}) under HS ${code.code}, which no goods list covers: possible misclassification`,
          evidence: {
            rule: 'controlled-description',
            keyword: keyword.label,
            hsCode: code.code,
            description: item.description,
          },
          weight: ctx.ruleset.weights.descriptionKeyword,
        });
      }
    }
  });
  return controlledLines;
}

const LICENCE_WEIGHT_KEY = {
  unknown: 'unknown',
  revoked: 'revoked',
  expired: 'expired',
  not_yet_valid: 'notYetValid',
  out_of_scope: 'outOfScope',
  exhausted: 'exhausted',
} as const;

/**
 * Cited licences (items[].licenceNumber) against the dossier. A line a valid licence covers keeps its goods hits but
 * marked licensed (evidence.licence.status 'licensed') at the rule set's licensedGoodsWeight, and, unless the rule set
 * says licensed lines still count as controlled, it leaves the set of controlled lines the route rules look at. A cited
 * licence that does not cover its line adds an indicator (licence-unknown, -revoked, -expired, -not-yet-valid,
 * -out-of-scope, -exhausted) and the line's goods hits say so too. Without a dossier (no loader wired) nothing is judged.
 */
function screenLicences(d: DeclarationInput, ctx: ScreeningContext, controlledLines: Set<number>, hits: Hit[]): void {
  if (!ctx.dossier) return;
  const { licences: rules } = ctx.ruleset;
  const day = ctx.today ?? new Date().toISOString().slice(0, 10);
  for (const { index, item, number, check } of checkCitedLines(d, ctx.dossier.licences, day)) {
    const subject = `items[${index}]`;
    const goodsHits = hits.filter((h) => h.kind === 'goods' && h.subject === subject);
    if (check.ok) {
      const licence = {
        number: check.licence.number,
        status: 'licensed',
        amount: check.amount,
        measure: measure(check.licence) || null,
        remainingBefore: check.remainingBefore,
        remainingAfter: check.remainingBefore === null ? null : check.remainingBefore - check.amount,
        validTo: check.licence.validTo,
        holderMatchedBy: check.holderMatchedBy,
        holderParty: check.holderParty,
      };
      for (const h of goodsHits) {
        h.weight = rules.licensedGoodsWeight;
        h.explanation += `; licensed under ${check.licence.number}`;
        h.evidence = { ...h.evidence, licence };
      }
      if (!rules.licensedLinesCountAsControlled) controlledLines.delete(index);
      continue;
    }
    const rule = `licence-${check.problem.replace(/_/g, '-')}`;
    for (const h of goodsHits)
      h.evidence = { ...h.evidence, licence: { number, status: check.problem, scope: check.scope ?? null } };
    hits.push({
      id: hitId('indicator', subject, `licence:${check.problem}:${number.trim().toUpperCase()}`),
      kind: 'indicator',
      severity: check.problem === 'unknown' || check.problem === 'revoked' ? 'high' : 'medium',
      score: 1,
      subject,
      matched: number,
      explanation: `line ${item.lineNo}: ${check.reason}${goodsHits.length ? ', so it does not license the controlled goods of the line' : ''}`,
      evidence: {
        rule,
        licenceNumber: number,
        problem: check.problem,
        scope: check.scope ?? null,
        ...(check.licence
          ? {
              licence: {
                number: check.licence.number,
                validFrom: check.licence.validFrom,
                validTo: check.licence.validTo,
                revoked: check.licence.revoked,
                hsPrefixes: check.licence.hsPrefixes,
                destinationCountries: check.licence.destinationCountries,
                holder: check.licence.holder,
                limit: check.licence.limit,
                used: check.licence.used,
              },
            }
          : {}),
        ...(check.amount !== undefined ? { amount: check.amount, remainingBefore: check.remainingBefore } : {}),
      },
      weight: rules.weights[LICENCE_WEIGHT_KEY[check.problem]],
    });
  }
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
      kind: 'route',
      severity: controlled ? 'high' : 'medium',
      score: 1,
      subject,
      matched: country,
      explanation: controlled
        ? `${subject} is ${country}, a high-risk country, and the declaration carries controlled goods (${[...controlledLines].map((i) => `items[${i}]`).join(', ')})`
        : `${subject} is ${country}, a high-risk country`,
      evidence: { rule: 'high-risk-country', country, controlledLines: [...controlledLines] },
      weight: controlled ? ruleset.weights.highRiskCountryWithControlledGoods : ruleset.weights.highRiskCountry,
    });
  }
  if (controlled) {
    const hubs = [
      { subject: 'countryOfDestination', country: d.countryOfDestination },
      ...(d.transitCountries ?? []).map((country, i) => ({ subject: `transitCountries[${i}]`, country })),
    ].filter((p) => ruleset.diversionHubs.has(p.country));
    for (const hub of hubs.filter((p, i) => hubs.findIndex((q) => q.country === p.country) === i)) {
      hits.push({
        id: hitId('route', hub.subject, `diversion-hub:${hub.country}`),
        kind: 'route',
        severity: 'high',
        score: 1,
        subject: hub.subject,
        matched: hub.country,
        explanation: `${hub.subject} is ${hub.country}, a known diversion hub for controlled goods bound for Russia, and the declaration carries controlled goods (${[...controlledLines].map((i) => `items[${i}]`).join(', ')})`,
        evidence: { rule: 'diversion-hub', country: hub.country, controlledLines: [...controlledLines] },
        weight: ruleset.weights.diversionHubWithControlledGoods,
      });
    }
  }
  const routeHighRisk = flagged.size > 0;
  d.items.forEach((item, i) => {
    if (!controlledLines.has(i) || !ruleset.exportBan.has(item.countryOfOrigin)) return;
    const subject = `items[${i}]`;
    if (d.procedure === 'import') {
      // Not a re-export yet, but how re-export stock is built up: explained, weighted lower than the onward move.
      hits.push({
        id: hitId('route', subject, `restricted-origin-import:${item.countryOfOrigin}`),
        kind: 'route',
        severity: 'medium',
        score: 1,
        subject,
        matched: item.countryOfOrigin,
        explanation: `line ${item.lineNo}: import of controlled goods made in ${item.countryOfOrigin}, which bans their export to Russia: stock that may later be re-exported`,
        evidence: { rule: 'restricted-origin-import', countryOfOrigin: item.countryOfOrigin, procedure: d.procedure },
        weight: ruleset.weights.restrictedOriginImport,
      });
      return;
    }
    hits.push({
      id: hitId('route', subject, `restricted-origin:${item.countryOfOrigin}`),
      kind: 'route',
      severity: routeHighRisk ? 'critical' : 'high',
      score: 1,
      subject,
      matched: item.countryOfOrigin,
      explanation: `line ${item.lineNo}: controlled goods made in ${item.countryOfOrigin}, which bans their export to Russia, declared for ${d.procedure === 'transit' ? 'transit' : 're-export'}${routeHighRisk ? ` on a route through ${[...flagged].join(', ')}` : ''}`,
      evidence: {
        rule: 'restricted-origin-reexport',
        countryOfOrigin: item.countryOfOrigin,
        procedure: d.procedure,
        highRiskOnRoute: [...flagged],
      },
      weight: ruleset.weights.restrictedOriginReexport,
    });
  });
}

/**
 * The cited electronic invoices against the declared lines (src/screening/invoice-reconciliation.ts). Without a loaded
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
  screenLicences(d, ctx, controlledLines, hits);
  screenParties(d, ctx, hits);
  screenRoute(d, ctx, controlledLines, hits);
  screenInvoices(d, ctx, hits);
  return hits;
}

export type Outcome = 'CLEAR' | 'REVIEW' | 'BLOCK';

const OUTCOME_RANK: Record<Outcome, number> = { CLEAR: 0, REVIEW: 1, BLOCK: 2 };

/** The rule a hit counts under: goods and party hits by kind, the others by their evidence.rule. */
export function ruleOf(h: Hit): string {
  return h.kind === 'goods' || h.kind === 'party' ? h.kind : String(h.evidence?.rule ?? h.kind);
}

/** What an override condition is judged on: the declaration's procedure and route. */
export type OverrideSubject = Pick<DeclarationInput, 'procedure' | 'countryOfDestination'>;

export interface AppliedOverride {
  rule: string;
  outcome: Exclude<Outcome, 'CLEAR'>;
  hitIds: string[];
}

function overrideHolds(
  o: Ruleset['outcomeOverrides'][number],
  d: OverrideSubject | undefined,
  ruleset: Ruleset,
): boolean {
  if (!o.when) return true;
  // A condition cannot be proven without the declaration: the override does not apply.
  if (!d) return false;
  if (o.when.procedureIn && !o.when.procedureIn.includes(d.procedure)) return false;
  if (o.when.destinationIn) {
    const sets = { highRisk: ruleset.highRisk, diversionHub: ruleset.diversionHubs };
    if (!o.when.destinationIn.some((name) => sets[name].has(d.countryOfDestination))) return false;
  }
  return true;
}

/**
 * Risk score and outcome from the hits that are not suppressed. The score adds, per rule, the weight of its strongest
 * hit (ten controlled lines weigh as much as the riskiest one; a controlled line plus a sanctioned destination weighs
 * more than either), capped at 100. By default BLOCK is reserved to a strong or identifier match of a listed party, or
 * of an entity listed parties own at or above the rule set's ownership threshold when the rule set blocks those (OFAC's
 * 50% rule: such an entity is blocked as its owners are); "controlled by" and "linked to" hits, goods and routes alone
 * mean "look". The rule set's outcomeOverrides name the exceptions (a live hit of the rule, under the override's
 * conditions, raises the outcome to at least the override's; overrides never lower one).
 */
export function decide(
  hits: Hit[],
  ruleset: Ruleset,
  declaration?: OverrideSubject,
): { outcome: Outcome; riskScore: number; overrides?: AppliedOverride[] } {
  const strongest = new Map<string, number>();
  for (const h of hits) {
    if (h.suppressed) continue;
    const rule = ruleOf(h);
    strongest.set(rule, Math.max(strongest.get(rule) ?? 0, h.weight));
  }
  const riskScore = Math.min(100, Math.round([...strongest.values()].reduce((a, b) => a + b, 0)));
  const live = hits.filter((h) => !h.suppressed && h.kind === 'party');
  let outcome: Outcome = 'CLEAR';
  if (live.some((h) => blocksAsParty(h, ruleset.partyBands.block))) outcome = 'BLOCK';
  else if (live.length > 0 || riskScore >= ruleset.riskThresholds.review) outcome = 'REVIEW';
  const overrides: AppliedOverride[] = [];
  for (const o of ruleset.outcomeOverrides) {
    const matching = hits.filter((h) => !h.suppressed && ruleOf(h) === o.rule);
    if (matching.length === 0 || !overrideHolds(o, declaration, ruleset)) continue;
    overrides.push({ rule: o.rule, outcome: o.outcome, hitIds: matching.map((h) => h.id) });
    if (OUTCOME_RANK[o.outcome] > OUTCOME_RANK[outcome]) outcome = o.outcome;
  }
  return overrides.length ? { outcome, riskScore, overrides } : { outcome, riskScore };
}
