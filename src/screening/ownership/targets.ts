import type { EntityEntry } from '../../domain/list-entry';
import type { HitSeverity } from '../hits';
import { SEVERITY_RANK } from '../hits';

export type TargetTopics = Readonly<Record<string, HitSeverity>>;

/**
 * A list target, or a context record (issue 13)? Entries of sources without topics are all listed (OFAC, UN, EU...).
 * A topic-tagged record (FtM) is a target only when one of its topics is a target topic of the rule set: OpenSanctions
 * ships the companies a listed person owns or runs beside the listed records, and those are not listed themselves.
 */
export function isListTarget(entry: Pick<EntityEntry, 'topics'>, targetTopics: TargetTopics): boolean {
  return entry.topics === undefined || entry.topics.some((t) => t in targetTopics);
}

/** The highest severity the rule set gives to the entry's topics; 'critical' for an entry of a source without topics. */
export function targetSeverity(
  entry: Pick<EntityEntry, 'topics'>,
  targetTopics: TargetTopics,
): HitSeverity | undefined {
  if (entry.topics === undefined) return 'critical';
  let best: HitSeverity | undefined;
  for (const t of entry.topics) {
    const s = targetTopics[t];
    if (s && (!best || SEVERITY_RANK[s] > SEVERITY_RANK[best])) best = s;
  }
  return best;
}
