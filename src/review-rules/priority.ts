import type { Config } from '../config/config';

/** 1 is the most urgent. Stored as a number so the queue sorts on it; shown by name. */
export type CasePriority = 1 | 2 | 3 | 4;
export const PRIORITY_NAMES: Record<CasePriority, string> = { 1: 'critical', 2: 'high', 3: 'normal', 4: 'low' };

/** BLOCK is critical; REVIEW ranks by risk score. */
export function casePriority(outcome: 'REVIEW' | 'BLOCK', riskScore: number): CasePriority {
  if (outcome === 'BLOCK') return 1;
  if (riskScore >= 70) return 2;
  if (riskScore >= 40) return 3;
  return 4;
}

function slaMinutes(config: Config, priority: CasePriority): number {
  return [
    config.CASE_SLA_MINUTES_CRITICAL,
    config.CASE_SLA_MINUTES_HIGH,
    config.CASE_SLA_MINUTES_NORMAL,
    config.CASE_SLA_MINUTES_LOW,
  ][priority - 1];
}

/** When a case of this priority opened now is due. */
export function slaDeadline(config: Config, priority: CasePriority): Date {
  return new Date(Date.now() + Math.round(slaMinutes(config, priority) * 60_000));
}
