/**
 * The "owned or controlled by listed parties" party hit (issue 13). A declared party that matches an entity of the
 * ownership graph (by name or identifier, target or context record alike) gets one such hit per entity when the graph
 * says listed parties own it at or above the rule set's threshold, or control or are tied to it. Its id is its own
 * (a direct hit on the same entry, when the entry is itself listed, is another hit), and its explanation gives the
 * chains and percentages a reviewer needs to check the finding against the registers.
 */
import type { PartyInput } from '../declaration-input';
import type { LoadedLists } from '../loaded-lists';
import { hitId, SEVERITY_RANK, type Hit, type HitSeverity } from '../hits';
import { partyFingerprint, type PartyMatch } from '../matching';
import type { Ruleset } from '../ruleset';
import type { ControlLink, OwnershipPath, OwnershipVerdict } from './graph';

export const OWNED_OR_CONTROLLED = 'owned-or-controlled';

function pct(share: number): string {
  return `${Math.round(share * 10000) / 100}%`;
}

function listedOn(listId: string, programs: string[]): string {
  return `listed on ${listId}${programs.length ? `: ${programs.slice(0, 4).join(', ')}` : ''}`;
}

function describePath(listId: string, p: OwnershipPath): string {
  const [first, ...rest] = p.steps;
  let text = `${first.percentage}% by ${first.name}`;
  for (const s of rest) text += `, itself ${s.percentage}% owned by ${s.name}`;
  const top = p.steps[p.steps.length - 1];
  text += ` (${listedOn(listId, top.programs ?? [])})`;
  return rest.length ? `${text} = ${pct(p.share)}` : text;
}

const CONTROL_WORDING: Record<ControlLink['kind'], string> = {
  ownership: 'owned (share not stated) by',
  directorship: 'run by',
  'linked-to': 'linked to',
  'unknown-link': 'linked to',
  family: 'a family member of',
  associate: 'an associate of',
};

function describeControl(listId: string, c: ControlLink): string {
  const why = c.because === 'listed' ? listedOn(listId, c.programs) : 'itself owned 50% or more by listed parties';
  return `${CONTROL_WORDING[c.kind]} ${c.name} (${why})${c.role ? ` [${c.role}]` : ''}`;
}

function maxSeverity(a: HitSeverity, b: HitSeverity): HitSeverity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

function cap(s: HitSeverity, at: HitSeverity): HitSeverity {
  return SEVERITY_RANK[s] > SEVERITY_RANK[at] ? at : s;
}

export function ownershipHit(
  subject: string,
  party: PartyInput,
  m: PartyMatch,
  v: OwnershipVerdict,
  lists: LoadedLists,
  ruleset: Ruleset,
): Hit {
  const rules = ruleset.ownership;
  const strong = m.score >= ruleset.partyBands.block;
  const how = m.matchKind === 'identifier' ? 'has the identifier of' : 'matches';
  const head = `${subject} "${party.name}" ${how} ${m.listId} entry ${m.entryId} "${m.matchedName}" (score ${m.score.toFixed(2)})`;
  const scale = m.matchKind === 'identifier' ? 1 : m.score;
  let severity: HitSeverity;
  let explanation: string;
  let weight: number;
  if (v.owned) {
    let ownerSeverity: HitSeverity = 'low';
    for (const p of v.paths)
      ownerSeverity = maxSeverity(
        ownerSeverity,
        lists.topicSeverity(m.listId, p.steps[p.steps.length - 1].entryId) ?? 'critical',
      );
    // A weak name match, or a rule set that only reviews owned entities, is never more than high.
    severity = strong && rules.ownedOutcome === 'BLOCK' ? ownerSeverity : cap(ownerSeverity, 'high');
    const direct = v.paths.length === 1 && v.paths[0].steps.length === 1;
    const owners = v.paths.map((p) => describePath(m.listId, p)).join('; ');
    explanation = `${head}, ${direct ? `owned ${owners}` : `owned ${pct(v.share)} in aggregate by listed parties: ${owners}`}`;
    if (v.controls.length) explanation += `; also ${v.controls.map((c) => describeControl(m.listId, c)).join('; ')}`;
    weight = Math.round(rules.ownedWeight * scale);
  } else {
    severity = rules.controlSeverity;
    explanation = `${head}, ${v.controls.map((c) => describeControl(m.listId, c)).join('; ')}`;
    if (v.share > 0)
      explanation += `; listed parties own ${pct(v.share)} of it, under the ${pct(rules.threshold)} threshold`;
    weight = Math.round(rules.controlWeight * scale);
  }
  return {
    id: hitId('party', subject, `${m.listId}|${m.entryId}|${OWNED_OR_CONTROLLED}`),
    kind: 'party',
    severity,
    score: m.score,
    subject,
    listId: m.listId,
    versionId: m.versionId,
    entryId: m.entryId,
    matched: m.matchedName,
    explanation,
    evidence: {
      rule: OWNED_OR_CONTROLLED,
      basis: v.owned ? 'owned' : 'controlled',
      share: v.share,
      threshold: rules.threshold,
      // Only a strong match to an entity owned at or above the threshold refuses, and only when the rule set says so.
      blocking: v.owned && strong && rules.ownedOutcome === 'BLOCK',
      paths: v.paths,
      controls: v.controls,
      query: { name: party.name, country: party.country, identifiers: party.identifiers ?? [] },
      match: m.explanation,
      entry: m.entry,
      matchKind: m.matchKind,
    },
    weight,
    partyFingerprint: partyFingerprint({ name: party.name, country: party.country }),
  };
}

/** True for a live party hit that makes the outcome BLOCK (see decide). */
export function blocksAsParty(h: Hit, blockBand: number): boolean {
  if (h.evidence?.rule === OWNED_OR_CONTROLLED) return h.evidence.blocking === true;
  return h.score >= blockBand;
}
