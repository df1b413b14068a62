import { whoAmI } from '../api';
import { h, replace } from '../dom';
import { errorMessage } from '../live';
import { setKey } from '../session';
import type { WhoAmI } from '../types';

/** The login form: the key is checked against /v1/me, then kept in sessionStorage for this tab only. */
export function renderLogin(main: HTMLElement, onLoggedIn: (user: WhoAmI) => void, notice?: string): void {
  const input = h('input', {
    id: 'api-key',
    name: 'apiKey',
    type: 'password',
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'api-key-hint',
    minlength: 8,
    maxlength: 200,
  });
  const error = h('p', { class: 'error', id: 'login-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  const form = h(
    'form',
    { class: 'login card', 'aria-labelledby': 'login-title', novalidate: true },
    h('h1', { id: 'login-title', tabindex: -1 }, 'Log in'),
    notice ? h('p', { class: 'notice' }, notice) : null,
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'api-key' }, 'API key'),
      input,
      h(
        'span',
        { class: 'hint', id: 'api-key-hint' },
        'Your personal key. It is kept in this browser tab only and forgotten when you log out or close the tab.',
      ),
    ),
    error,
    button,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) {
      error.textContent = 'Enter your API key.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    button.disabled = true;
    error.textContent = '';
    whoAmI<WhoAmI>(key).then(
      (user) => {
        setKey(key);
        input.value = '';
        onLoggedIn(user);
      },
      (err: unknown) => {
        button.disabled = false;
        input.setAttribute('aria-invalid', 'true');
        error.textContent = `Not logged in: ${errorMessage(err)}`;
        input.focus();
      },
    );
  });
  replace(main, form);
  main.setAttribute('aria-busy', 'false');
  main.dataset.page = 'login';
  // Its startTime is the time since navigation started: the login page's first render, as the e2e tests read it.
  performance.mark('console:ready:login');
  input.focus();
}
