import { getJson, send } from '../api';
import { badge, h } from '../dom';
import { dateTime, duration } from '../format';
import { announce, errorMessage } from '../live';
import type { PageContext } from '../pages/page';
import type { ListSource, ListVersion } from '../types';

/** How long the active version has served: the age a screening's "lists in force" really has. */
export function ageCell(active: ListVersion | null): HTMLTableCellElement {
  if (!active?.activatedAt) return h('td', null, '—');
  return h(
    'td',
    { title: `active since ${dateTime(active.activatedAt)}` },
    duration(Date.now() - Date.parse(active.activatedAt)),
  );
}

const OUTCOMES: Record<string, string> = {
  not_modified: 'not modified',
  unchanged: 'unchanged',
  changed: 'new version',
  error: 'unreachable',
};

/** The source's status, when it was last checked and with what outcome; the error, when there is one, underneath. */
export function sourceCell(source: ListSource | undefined): HTMLTableCellElement {
  if (!source) return h('td', { class: 'muted' }, 'uploads only');
  const checked = source.lastCheckedAt
    ? `checked ${dateTime(source.lastCheckedAt)}${source.lastOutcome ? ` (${OUTCOMES[source.lastOutcome] ?? source.lastOutcome})` : ''}`
    : `first check ${source.enabled ? 'pending' : 'not scheduled (disabled)'}`;
  return h(
    'td',
    { title: Object.values(source.urls).join('\n') },
    badge(source.status, source.status),
    ' ',
    source.enabled ? null : badge('disabled', 'disabled'),
    h('br'),
    h('small', { class: 'muted' }, checked),
    source.lastError ? [h('br'), h('small', { class: 'error-text' }, source.lastError)] : null,
  );
}

/**
 * Admins: asks for a check now, then follows it until the source records a new check (or a minute passes), and
 * re-renders the lists with the result.
 */
export function refreshButton(ctx: PageContext, source: ListSource, done: () => Promise<void>): HTMLButtonElement {
  const button = h('button', { type: 'button', 'aria-label': `Refresh ${source.listId} now` }, 'Refresh now');
  button.addEventListener('click', async () => {
    button.disabled = true;
    const path = `/v1/lists/${encodeURIComponent(source.listId)}/source`;
    try {
      const before = (
        (await (await send(`${path}/refresh`, { method: 'POST', signal: ctx.signal })).json()) as ListSource
      ).lastCheckedAt;
      announce(`Checking ${source.listId} now…`);
      const deadline = Date.now() + 60_000;
      let after: ListSource | undefined;
      while (!ctx.signal.aborted && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        const s = await getJson<ListSource>(path, undefined, ctx.signal);
        if (s.lastCheckedAt !== before) {
          after = s;
          break;
        }
      }
      if (ctx.signal.aborted) return;
      if (!after) announce(`${source.listId}: no check recorded within a minute; it may still be running.`, 'error');
      else if (after.status === 'stale')
        announce(
          `${source.listId}: the publisher could not be reached (${after.lastError ?? 'no detail'}); the active version stays.`,
          'error',
        );
      else announce(`${source.listId}: checked, ${OUTCOMES[after.lastOutcome ?? ''] ?? after.lastOutcome}.`);
      await done();
    } catch (err) {
      announce(`Refresh of ${source.listId} failed: ${errorMessage(err)}`, 'error');
    } finally {
      button.disabled = false;
    }
  });
  return button;
}
