import { createHash } from 'node:crypto';

export type HitKind = 'goods' | 'party' | 'route' | 'indicator';
export type HitSeverity = 'critical' | 'high' | 'medium' | 'low';

export interface Hit {
  /** Stable across re-screenings of the same declaration: a reviewer's false-positive mark names it. */
  id: string;
  kind: HitKind;
  severity: HitSeverity;
  /** 0-1: the match score for parties, 1 for rule hits. */
  score: number;
  /** Where in the declaration: "consignee", "items[2]", "transitCountries[0]", "items[1].manufacturer". */
  subject: string;
  listId?: string;
  versionId?: string;
  entryId?: string;
  /** The list name, goods label or country that was hit. */
  matched?: string;
  /** One sentence a reviewer reads first. */
  explanation: string;
  /** The details behind it: the match explanation and list entry, the goods entry, the rule. */
  evidence?: Record<string, unknown>;
  /** Contribution to the risk score (0-100 scale) before capping. */
  weight: number;
  /** Party hits: the fingerprint of the declared party, the key of false-positive marks. */
  partyFingerprint?: string;
  suppressed?: boolean;
  suppressedBy?: string;
}

export function hitId(kind: HitKind, subject: string, key: string): string {
  return `${kind[0]}-${createHash('sha256').update(`${kind}|${subject}|${key}`).digest('hex').slice(0, 12)}`;
}

export const SEVERITY_RANK: Record<HitSeverity, number> = { critical: 4, high: 3, medium: 2, low: 1 };
