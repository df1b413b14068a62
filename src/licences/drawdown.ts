import type { EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor';
import { recordAudit } from '../audit/audit.service';
import type { DeclarationInput } from '../screening/declaration-input';
import { checkCitedLines, licenceKey } from '../screening/licence-check';
import { citedLicence, insertDrawdown, licencesByNumber, today } from './licences.repository';

export function citesLicences(d: DeclarationInput): boolean {
  return d.items.some((item) => item.licenceNumber);
}

/**
 * The drawdown of a final release (a case released, after any four-eyes approval, or a declaration cleared at
 * screening), in the caller's transaction. The cited licence rows are locked (in id order, so two releases citing the
 * same licences never deadlock) and the balance is read after the lock: a competing release has either committed its
 * draw, which this one then sees, or waits for this one. A line draws when its licence is in force and covers it (code,
 * destination, holder, unit or currency) — with or without the balance: goods released past the balance were still
 * released under the licence, so the draw is recorded and marked `exceeded`, and the licence shows overdrawn; the next
 * screening citing it finds it exhausted. Each (licence, declaration, line) draws at most once (unique key), so a
 * repeated release changes nothing.
 */
export async function drawDownLicences(
  m: EntityManager,
  who: AuditActor,
  declarationId: string,
  d: DeclarationInput | undefined,
  trigger: 'decision' | 'clearance',
): Promise<void> {
  if (!d || !citesLicences(d)) return;
  const rows = await licencesByNumber(
    m,
    d.items.flatMap((i) => (i.licenceNumber ? [i.licenceNumber] : [])),
    { lock: true },
  );
  if (rows.length === 0) return;
  const licences = new Map(rows.map((r) => [licenceKey(r.number), citedLicence(r)]));
  const running = new Map<string, number>();
  for (const { item, check } of checkCitedLines(d, licences, today())) {
    if (!check.licence || (!check.ok && check.problem !== 'exhausted')) continue;
    const licence = check.licence;
    const amount = licence.limit ? check.amount! : null;
    const usedBefore = licence.used + (running.get(licence.id) ?? 0);
    const exceeded = amount !== null && licence.limit !== null && usedBefore + amount > licence.limit.amount + 1e-9;
    const inserted = await insertDrawdown(m, {
      licenceId: licence.id,
      declarationId,
      lineNo: item.lineNo,
      quantity: item.quantity ?? null,
      unit: item.unit ?? null,
      valueAmount: item.value.amount,
      valueCurrency: item.value.currency,
      amount,
      exceeded,
      trigger,
    });
    if (!inserted) continue;
    if (amount !== null) running.set(licence.id, (running.get(licence.id) ?? 0) + amount);
    await recordAudit(m, who, {
      action: 'licence.drawn_down',
      subjectType: 'licence',
      subjectId: licence.id,
      data: {
        number: licence.number,
        declarationId,
        lineNo: item.lineNo,
        amount,
        exceeded,
        trigger,
        remaining: licence.limit && amount !== null ? licence.limit.amount - usedBefore - amount : null,
      },
    });
  }
}
