import type { FieldError } from '../http/errors';
import type { Hit } from '../screening/hits';

/**
 * Checks the hit ids a decision names as false positives against the screening the reviewer saw: each must be a
 * party hit of it (goods, route and indicator hits are rules, not identities, and cannot be allow-listed).
 */
export function falsePositiveErrors(
  hits: readonly Hit[],
  ids: readonly string[],
  field = 'body.falsePositiveHitIds',
): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    const path = `${field}[${i}]`;
    const hit = hits.find((h) => h.id === id);
    if (seen.has(id)) errors.push({ path, message: `hit ${id} is named twice` });
    else if (!hit) errors.push({ path, message: `no hit ${id} in the case's latest screening` });
    else if (hit.kind !== 'party' || !hit.partyFingerprint || !hit.listId || !hit.entryId) {
      errors.push({ path, message: `hit ${id} is a ${hit.kind} hit; only party hits can be marked false positives` });
    }
    seen.add(id);
  });
  return errors;
}
