/** Announces results of async work: visibly (a toast) and to screen readers (the toast is an aria-live region). */
let timer: number | undefined;

export function announce(message: string, kind: 'info' | 'error' = 'info'): void {
  const polite = document.getElementById('toast');
  const alert = document.getElementById('alert');
  if (!polite || !alert) return;
  const target = kind === 'error' ? alert : polite;
  const other = kind === 'error' ? polite : alert;
  other.textContent = '';
  other.classList.remove('shown');
  target.textContent = message;
  target.classList.add('shown');
  window.clearTimeout(timer);
  timer = window.setTimeout(
    () => {
      target.classList.remove('shown');
      target.textContent = '';
    },
    kind === 'error' ? 12000 : 6000,
  );
}

export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'describe' in err && typeof err.describe === 'function')
    return String(err.describe());
  return err instanceof Error ? err.message : String(err);
}
