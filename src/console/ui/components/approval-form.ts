import { h, uid } from '../dom';

/** The supervisor's four-eyes step: approve or reject the pending decision, with a required reason. */
export function approvalForm(submit: (approve: boolean, reason: string) => Promise<void>): {
  element: HTMLFormElement;
  focus(): void;
} {
  const id = uid('approval-reason');
  const reason = h('textarea', {
    id,
    name: 'reason',
    required: true,
    minlength: 3,
    maxlength: 2000,
    rows: 2,
    'aria-describedby': `${id}-error`,
  });
  const error = h('p', { class: 'error', id: `${id}-error`, role: 'alert' });
  const approve = h('button', { type: 'submit', value: 'approve', class: 'primary' }, 'Approve');
  const reject = h('button', { type: 'submit', value: 'reject', class: 'danger' }, 'Reject');
  const element = h(
    'form',
    { class: 'approval', 'aria-labelledby': `${id}-title`, novalidate: true },
    h('h3', { id: `${id}-title` }, 'Your approval'),
    h('div', { class: 'field' }, h('label', { for: id }, 'Reason (required)'), reason),
    h('p', { class: 'actions' }, approve, ' ', reject),
    error,
  );
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    const yes = (event.submitter as HTMLButtonElement | null)?.value === 'approve';
    if (reason.value.trim().length < 3) {
      error.textContent = 'Give a reason (at least 3 characters).';
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      return;
    }
    reason.removeAttribute('aria-invalid');
    error.textContent = '';
    approve.disabled = true;
    reject.disabled = true;
    try {
      await submit(yes, reason.value.trim());
    } finally {
      approve.disabled = false;
      reject.disabled = false;
    }
  });
  return { element, focus: () => reason.focus() };
}
