import { h, uid } from '../dom';
import type { DecisionAction } from '../types';

export const ACTIONS: { action: DecisionAction; label: string; key: string }[] = [
  { action: 'release', label: 'Release', key: 'r' },
  { action: 'hold', label: 'Hold for documents', key: 'h' },
  { action: 'refuse', label: 'Refuse', key: 'f' },
  { action: 'escalate', label: 'Escalate', key: 'e' },
  { action: 'request_info', label: 'Request information', key: 'i' },
];

export interface DecisionFormOptions {
  level: 'REVIEW' | 'BLOCK';
  /** Escalated cases cannot be escalated again. */
  escalated: boolean;
  /** Where the "false positive" checkboxes are (the hits panel). */
  hitsPanel: HTMLElement;
  /** `message` (to the broker) goes with request_info only. */
  submit(action: DecisionAction, reason: string, falsePositiveHitIds: string[], message?: string): Promise<void>;
}

export interface DecisionForm {
  element: HTMLFormElement;
  /** Picks an action (the r/h/f/e/i shortcuts) and moves to the reason (to the message for request_info). */
  choose(action: DecisionAction): void;
}

/** Four-eyes: refusals, and releases of BLOCK-level cases, wait for a supervisor. */
export function needsApproval(action: DecisionAction, level: 'REVIEW' | 'BLOCK'): boolean {
  return action === 'refuse' || (action === 'release' && level === 'BLOCK');
}

/**
 * The decision bar: a required reason and one button per action. A button submits its action; the shortcuts pick an
 * action and focus the reason, and Ctrl+Enter there submits the picked one.
 */
export function decisionForm(options: DecisionFormOptions): DecisionForm {
  const reasonId = uid('reason');
  const reason = h('textarea', {
    id: reasonId,
    name: 'reason',
    required: true,
    minlength: 3,
    maxlength: 2000,
    rows: 2,
    'aria-describedby': `${reasonId}-hint ${reasonId}-error`,
  });
  const error = h('p', { class: 'error', id: `${reasonId}-error`, role: 'alert' });
  const picked = h('span', { class: 'muted', 'aria-live': 'polite' });
  // The message to the broker: shown once "Request information" is picked. The broker reads it; the reason stays internal.
  const messageId = uid('message');
  const message = h('textarea', {
    id: messageId,
    name: 'message',
    maxlength: 2000,
    rows: 2,
    'aria-describedby': `${messageId}-hint ${reasonId}-error`,
  });
  const messageField = h(
    'div',
    { class: 'field message', hidden: true },
    h('label', { for: messageId }, 'Message to the broker (required)'),
    message,
    h(
      'span',
      { class: 'hint', id: `${messageId}-hint` },
      'The broker sees this text only, never the reason or the hits.',
    ),
  );
  const showMessage = (): void => {
    messageField.hidden = false;
  };
  let chosen: DecisionAction | null = null;
  const buttons = ACTIONS.filter((a) => !(a.action === 'escalate' && options.escalated)).map((a) =>
    h(
      'button',
      {
        type: 'submit',
        name: 'action',
        value: a.action,
        'aria-keyshortcuts': a.key,
        'aria-pressed': 'false',
        class: a.action === 'refuse' ? 'danger' : null,
        title: needsApproval(a.action, options.level) ? "Needs a supervisor's approval (four eyes)" : null,
      },
      a.label,
      needsApproval(a.action, options.level) ? ' *' : '',
      ' ',
      h('kbd', null, a.key),
    ),
  );

  const element = h(
    'form',
    { class: 'decision', 'aria-labelledby': 'decision-title', novalidate: true },
    h('h2', { id: 'decision-title' }, 'Decision ', picked),
    h(
      'div',
      { class: 'row' },
      h(
        'div',
        { class: 'field reason' },
        h('label', { for: reasonId }, 'Reason (required)'),
        reason,
        h(
          'span',
          { class: 'hint', id: `${reasonId}-hint` },
          "Ctrl+Enter submits the chosen action. * needs a supervisor's approval (four eyes).",
        ),
      ),
      messageField,
      h('div', { class: 'actions', role: 'group', 'aria-label': 'Decide' }, buttons),
    ),
    error,
  );

  const choose = (action: DecisionAction): void => {
    if (!buttons.some((b) => b.value === action)) return;
    chosen = action;
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.value === action));
    picked.textContent = `— ${ACTIONS.find((a) => a.action === action)?.label.toLowerCase()} chosen`;
    if (action === 'request_info') {
      showMessage();
      message.focus();
    } else {
      reason.focus();
    }
  };

  const run = async (action: DecisionAction | null): Promise<void> => {
    if (!action) {
      error.textContent =
        'Choose an action: release (r), hold (h), refuse (f), escalate (e) or request information (i).';
      return;
    }
    if (action === 'request_info' && !message.value.trim()) {
      showMessage();
      error.textContent = 'Write the message to the broker: what they should send or explain.';
      message.setAttribute('aria-invalid', 'true');
      message.focus();
      return;
    }
    message.removeAttribute('aria-invalid');
    if (reason.value.trim().length < 3) {
      error.textContent = 'Give a reason (at least 3 characters): it goes into the audit log.';
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      return;
    }
    reason.removeAttribute('aria-invalid');
    error.textContent = '';
    const ids = [...options.hitsPanel.querySelectorAll<HTMLInputElement>('input[name="fp"]:checked')].map(
      (i) => i.value,
    );
    for (const b of buttons) b.disabled = true;
    try {
      await options.submit(
        action,
        reason.value.trim(),
        ids,
        action === 'request_info' ? message.value.trim() : undefined,
      );
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  };

  element.addEventListener('submit', (event) => {
    event.preventDefault();
    const submitter = event.submitter as HTMLButtonElement | null;
    void run((submitter?.value as DecisionAction | undefined) ?? chosen);
  });
  for (const box of [reason, message]) {
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void run(chosen);
      }
    });
  }
  return { element, choose };
}
