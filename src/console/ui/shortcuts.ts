/**
 * Single-key shortcuts for the reviewer's main path. They are ignored while the focus is in a text field (Esc leaves
 * it) or when a modifier is held, so they never eat typed text or browser shortcuts.
 */
export type Shortcuts = Record<string, (event: KeyboardEvent) => void>;

let pageShortcuts: Shortcuts = {};

export function setPageShortcuts(map: Shortcuts): void {
  pageShortcuts = map;
}

const TEXT_INPUTS = new Set([
  'text',
  'password',
  'search',
  'email',
  'url',
  'tel',
  'number',
  'date',
  'datetime-local',
  'time',
  'month',
  'week',
  'file',
]);

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement)
    return true;
  return target instanceof HTMLInputElement && TEXT_INPUTS.has(target.type);
}

export function installShortcuts(global: Shortcuts): void {
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (isTyping(event.target)) {
      if (event.key === 'Escape' && event.target instanceof HTMLElement && !event.target.closest('dialog'))
        event.target.blur();
      return;
    }
    if (document.querySelector('dialog[open]')) return;
    const handler = pageShortcuts[event.key] ?? global[event.key];
    if (!handler) return;
    event.preventDefault();
    handler(event);
  });
}
