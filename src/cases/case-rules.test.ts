import { assertClaimant, claimableStatuses, needsApproval, samePerson, type CaseState } from './case-rules';
import { raisedPriority } from './sla';

const me = { keyId: 'k-me', role: 'reviewer' as const };
const open = (over: Partial<CaseState> = {}): CaseState => ({
  status: 'open',
  assignee_key_id: 'k-me',
  lease_active: true,
  ...over,
});

function code(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code: string }).code;
  }
}

describe('case rules', () => {
  it('lets the claimant with a live lease decide', () => {
    expect(code(() => assertClaimant(open(), me))).toBeUndefined();
  });

  it('answers each other situation with its own code', () => {
    expect(code(() => assertClaimant(open({ assignee_key_id: 'k-other' }), me))).toBe('not_claimant');
    expect(code(() => assertClaimant(open({ assignee_key_id: 'k-other', lease_active: false }), me))).toBe(
      'case_not_claimed',
    );
    expect(code(() => assertClaimant(open({ assignee_key_id: null, lease_active: false }), me))).toBe(
      'case_not_claimed',
    );
    expect(code(() => assertClaimant(open({ lease_active: false }), me))).toBe('lease_expired');
    expect(code(() => assertClaimant(open({ status: 'closed' }), me))).toBe('case_closed');
    expect(code(() => assertClaimant(open({ status: 'awaiting_approval' }), me))).toBe('case_awaiting_approval');
    expect(code(() => assertClaimant(open({ status: 'escalated' }), me))).toBe('supervisor_required');
    expect(code(() => assertClaimant(open({ status: 'escalated' }), { ...me, role: 'supervisor' }))).toBeUndefined();
  });

  it('needs a second person for refusals and BLOCK-level releases only', () => {
    expect(needsApproval('refuse', 'REVIEW')).toBe(true);
    expect(needsApproval('refuse', 'BLOCK')).toBe(true);
    expect(needsApproval('release', 'BLOCK')).toBe(true);
    expect(needsApproval('release', 'REVIEW')).toBe(false);
    expect(needsApproval('hold', 'BLOCK')).toBe(false);
    expect(needsApproval('escalate', 'BLOCK')).toBe(false);
    // False-positive marks for every organisation need a supervisor's approval, whatever the level.
    expect(needsApproval('release', 'REVIEW', true)).toBe(true);
  });

  it('treats two keys naming one person as one person for four-eyes', () => {
    expect(samePerson({ keyId: 'k1', person: 'alice' }, { keyId: 'k2', person: 'alice' })).toBe(true);
    expect(samePerson({ keyId: 'k1', person: 'alice' }, { keyId: 'k1', person: 'bob' })).toBe(true);
    expect(samePerson({ keyId: 'k1', person: 'alice' }, { keyId: 'k2', person: 'bob' })).toBe(false);
    expect(samePerson({ keyId: 'k1', person: null }, { keyId: 'k2', person: null })).toBe(false);
  });

  it('keeps escalated cases for supervisors', () => {
    expect(claimableStatuses('reviewer')).not.toContain('escalated');
    expect(claimableStatuses('supervisor')).toContain('escalated');
  });

  it('raises priority one step, never above critical', () => {
    expect(raisedPriority(4)).toBe(3);
    expect(raisedPriority(2)).toBe(1);
    expect(raisedPriority(1)).toBe(1);
  });
});
