import { badge, h } from '../dom';
import { dateTime } from '../format';
import type { CaseDecision, KeyRef, ReviewCase } from '../types';

const ACTION_WORD: Record<string, string> = {
  release: 'release',
  hold: 'hold',
  refuse: 'refusal',
  escalate: 'escalation',
  request_info: 'request for information',
};

/** A person first (four-eyes is about people), then the key they used. */
export function personLabel(ref: KeyRef, role?: string): string {
  const key = ref.name ?? ref.keyId ?? 'unknown';
  if (!ref.person) return role ? `${key} (${role})` : key;
  return `${ref.person} (${role ? `${role} ` : ''}key “${key}”)`;
}

function who(d: CaseDecision): string {
  return personLabel(d.decidedBy, d.decidedBy.role);
}

/** Whether the viewer made this decision, with this key or another key of theirs. */
export function isOwnDecision(
  pending: { decidedBy: string; decidedByPerson?: string | null },
  self: { keyId: string; person: string | null },
): boolean {
  return pending.decidedBy === self.keyId || (!!self.person && pending.decidedByPerson === self.person);
}

/**
 * The four-eyes state: a decision waiting for a supervisor (who decided, why, and the approval form when the viewer may
 * give it), or the final resolution of a closed case.
 */
export function fourEyes(
  c: ReviewCase,
  decisions: CaseDecision[],
  self: { keyId: string; person: string | null },
  form: HTMLElement | null,
): HTMLElement | null {
  const pending = c.awaitingApproval ? (decisions.find((d) => d.id === c.awaitingApproval?.decisionId) ?? null) : null;
  if (c.awaitingApproval) {
    const own = isOwnDecision(c.awaitingApproval, self);
    return h(
      'section',
      { class: 'foureyes', 'aria-labelledby': 'foureyes-title' },
      h(
        'h2',
        { id: 'foureyes-title' },
        `Waiting for approval: ${ACTION_WORD[c.awaitingApproval.action] ?? c.awaitingApproval.action}`,
      ),
      h(
        'p',
        null,
        `Decided by ${pending ? who(pending) : `key ${c.awaitingApproval.decidedBy}`} at ${dateTime(c.awaitingApproval.decidedAt)}`,
        pending ? [': ', h('q', null, pending.reason)] : '.',
      ),
      pending?.falsePositiveHitIds.length
        ? h(
            'p',
            null,
            `${pending.falsePositiveHitIds.length} hit(s) marked as false positives${pending.falsePositiveScope === 'all' ? ', for every organisation' : ''}.`,
          )
        : null,
      own
        ? h(
            'p',
            null,
            'You took this decision (with this key or another of yours): a different person must approve it.',
          )
        : (form ?? h('p', null, 'A supervisor other than the person who decided approves or rejects it.')),
    );
  }
  if (c.status === 'closed') {
    const final = decisions.find((d) => d.approval === 'approved' || d.approval === 'not_required');
    return h(
      'section',
      { class: 'foureyes done', 'aria-labelledby': 'foureyes-title' },
      h('h2', { id: 'foureyes-title' }, `Closed: ${c.resolution ?? 'decided'}`),
      final
        ? h(
            'p',
            null,
            `${final.action} by ${who(final)} at ${dateTime(final.decidedAt)}`,
            final.approvedBy ? `, approved by ${personLabel(final.approvedBy)} at ${dateTime(final.approvedAt)}` : '',
            '.',
          )
        : null,
    );
  }
  return null;
}

/** Every decision on the case, newest first, with its approval state. */
export function decisionsList(decisions: CaseDecision[]): HTMLElement {
  if (decisions.length === 0) return h('p', { class: 'muted' }, 'No decision yet.');
  return h(
    'ol',
    { class: 'history', reversed: true },
    decisions.map((d) =>
      h(
        'li',
        null,
        h('strong', null, d.action),
        ` by ${who(d)} at ${dateTime(d.decidedAt)}: `,
        h('q', null, d.reason),
        ' ',
        d.approval !== 'not_required'
          ? badge(
              `approval ${d.approval}`,
              d.approval === 'approved'
                ? 'active'
                : d.approval === 'rejected' || d.approval === 'outdated'
                  ? 'failed'
                  : 'importing',
            )
          : null,
        d.approvedBy ? ` by ${personLabel(d.approvedBy)}${d.approvalReason ? ` (“${d.approvalReason}”)` : ''}` : '',
        d.falsePositiveHitIds.length
          ? h('span', { class: 'muted' }, ` · ${d.falsePositiveHitIds.length} false positive(s)`)
          : null,
      ),
    ),
  );
}
