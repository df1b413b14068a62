import { postJson } from './api';
import { announce, errorMessage } from './live';
import { caseHref } from './router';
import type { ReviewCase } from './types';

let claiming = false;

/** Claims the most urgent unclaimed case and opens it; says so when the queue is empty. */
export async function claimNext(): Promise<void> {
  if (claiming) return;
  claiming = true;
  try {
    const claimed = await postJson<ReviewCase>('/v1/cases/claim');
    if (!claimed) {
      announce('No case is waiting: the queue is empty.');
      return;
    }
    announce('Case claimed.');
    location.hash = caseHref(claimed.id);
  } catch (err) {
    announce(`Could not claim a case: ${errorMessage(err)}`, 'error');
  } finally {
    claiming = false;
  }
}
