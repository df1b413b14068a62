import { getJson, postJson, send } from '../api';
import { claimedBy, isOverdue, leaseLeft, undecided } from '../cases-model';
import { claimNext } from '../claim';
import { approvalForm } from '../components/approval-form';
import { decisionsList, fourEyes, isOwnDecision } from '../components/case-state';
import { documentsPanel, notesPanel } from '../components/case-work';
import { declarationView } from '../components/declaration-view';
import { decisionForm } from '../components/decision-form';
import { historyList } from '../components/history';
import { informationRequestsPanel } from '../components/information-requests';
import { invoicePanel } from '../components/invoice-panel';
import { hitList } from '../components/hits';
import { licencesPanel } from '../components/licences-panel';
import { badge, h, replace } from '../dom';
import { countdown, dateTime, duration } from '../format';
import { announce, errorMessage } from '../live';
import type { CaseDetail, DecisionAction, ReviewCase } from '../types';
import { every, type PageContext } from './page';

const DONE: Record<DecisionAction, string> = {
  release: 'Release recorded',
  hold: 'Hold recorded: the case waits for documents',
  refuse: 'Refusal recorded',
  escalate: 'Case escalated to supervisors',
  request_info: "Information requested: the case waits for the broker's answer, its SLA paused",
};

/** "Your claim: 14:52 left", ticking; red in the last minute. */
function leaseBox(ctx: PageContext, c: ReviewCase, renew: () => void, unclaim: () => void): HTMLElement {
  const clock = h('span', { class: 'lease' }, countdown(leaseLeft(c, Date.now()) ?? 0));
  const box = h(
    'span',
    { class: 'lease-box' },
    'Your claim: ',
    clock,
    ' left ',
    h('button', { type: 'button', onclick: renew }, 'Keep it'),
    ' ',
    h('button', { type: 'button', onclick: unclaim }, 'Give back'),
  );
  every(ctx, 1000, () => {
    const left = leaseLeft(c, Date.now()) ?? 0;
    clock.textContent = countdown(left);
    clock.classList.toggle('low', left < 60_000);
    if (left <= 0)
      replace(
        box,
        h('span', { class: 'error' }, 'Your claim ran out. '),
        h('button', { type: 'button', onclick: renew }, 'Reload'),
      );
  });
  return box;
}

function claimLine(ctx: PageContext, c: ReviewCase, reload: () => void, unclaim: () => void): HTMLElement | string {
  if (claimedBy(c, ctx.user.keyId, Date.now())) return leaseBox(ctx, c, reload, unclaim);
  if (c.claimed) return `Claimed by ${c.assigneePerson ?? c.assigneeName ?? 'another reviewer'}`;
  return undecided(c) ? 'Not claimed' : '';
}

export async function renderCase(ctx: PageContext): Promise<void> {
  const id = ctx.route.id ?? '';
  const path = `/v1/cases/${encodeURIComponent(id)}`;
  const canWork = ctx.user.role === 'reviewer' || ctx.user.role === 'supervisor';

  /** `scope` is the page context whose onLeave also fires on the next redraw (the lease clock's timer). */
  const draw = (detail: CaseDetail, scope: PageContext): void => {
    const c = detail.case;
    const body = detail.declaration.body;
    const hits = detail.screening?.hits ?? [];
    const mine = canWork && claimedBy(c, ctx.user.keyId, Date.now()) && undecided(c);
    const now = Date.now();
    const overdue = isOverdue(c, now);

    const reload = (): void => void load().catch((err: unknown) => announce(errorMessage(err), 'error'));
    const unclaim = (): void => {
      postJson(`${path}/unclaim`).then(
        () => {
          announce('Case given back to the queue.');
          reload();
        },
        (err: unknown) => announce(`Could not give it back: ${errorMessage(err)}`, 'error'),
      );
    };

    const hitsPanel = h(
      'section',
      { class: 'hits-panel', 'aria-labelledby': 'hits-title' },
      h('h2', { id: 'hits-title' }, `Hits (${hits.length})`),
      hitList(hits, { lineNos: body.items.map((i) => i.lineNo), falsePositiveName: mine ? 'fp' : undefined }),
    );

    const decision = mine
      ? decisionForm({
          level: c.level,
          escalated: c.status === 'escalated',
          hitsPanel,
          submit: async (action, reason, falsePositiveHitIds, message) => {
            try {
              const result = await postJson<{ case: ReviewCase }>(`${path}/decision`, {
                action,
                reason,
                falsePositiveHitIds,
                ...(message !== undefined ? { message } : {}),
              });
              const waiting = result?.case.status === 'awaiting_approval';
              announce(
                `${DONE[action]}${waiting ? "; waiting for a supervisor's approval" : ''}.${falsePositiveHitIds.length ? ` ${falsePositiveHitIds.length} false positive(s) marked.` : ''}`,
              );
              await load();
            } catch (err) {
              announce(`Decision not recorded: ${errorMessage(err)}`, 'error');
            }
          },
        })
      : null;

    const pending = c.awaitingApproval;
    const mayApprove = ctx.user.role === 'supervisor' && pending !== null && !isOwnDecision(pending, ctx.user);
    const approval = mayApprove
      ? approvalForm(async (approve, reason) => {
          try {
            await postJson(`${path}/approval`, { approve, reason });
            announce(approve ? 'Approved: the decision is final.' : 'Rejected: the case goes back to the queue.');
            await load();
          } catch (err) {
            announce(`Approval not recorded: ${errorMessage(err)}`, 'error');
          }
        })
      : null;

    const addNote = canWork
      ? async (text: string): Promise<void> => {
          try {
            await postJson(`${path}/notes`, { text });
            announce('Note added.');
            await load();
          } catch (err) {
            announce(`Note not added: ${errorMessage(err)}`, 'error');
          }
        }
      : null;
    const upload = canWork
      ? async (file: File): Promise<void> => {
          const form = new FormData();
          form.append('file', file, file.name);
          try {
            await send(`/v1/declarations/${encodeURIComponent(detail.declaration.id)}/documents`, {
              method: 'POST',
              form,
            });
            announce(`Document ${file.name} uploaded.`);
            await load();
          } catch (err) {
            announce(`Upload failed: ${errorMessage(err)}`, 'error');
          }
        }
      : null;

    const shortcuts: Record<string, () => void> = {};
    if (canWork) shortcuts.n = () => void claimNext();
    if (decision)
      for (const [key, action] of [
        ['r', 'release'],
        ['h', 'hold'],
        ['f', 'refuse'],
        ['e', 'escalate'],
        ['i', 'request_info'],
      ] as const)
        shortcuts[key] = () => decision.choose(action);
    if (approval) shortcuts.a = () => approval.focus();
    ctx.shortcuts(shortcuts);

    replace(
      ctx.main,
      h('p', { class: 'crumbs' }, h('a', { href: '#/queue' }, 'Queue'), ' / ', c.reference),
      h('h1', { tabindex: -1 }, `Case ${c.reference}`),
      h(
        'p',
        { class: 'status-line' },
        badge(c.status.replace(/_/g, ' '), c.status),
        badge(c.level, c.level),
        badge(`${c.priority} priority`, c.priority),
        h('span', null, `risk ${c.riskScore}/100`),
        h(
          'span',
          { class: overdue ? 'overdue' : null },
          `deadline ${dateTime(c.deadline)}`,
          overdue ? ' (overdue)' : '',
          c.slaPausedAt ? ` (SLA paused since ${dateTime(c.slaPausedAt)})` : '',
        ),
        h('span', null, c.organization),
        h('span', null, `opened ${duration(now - Date.parse(c.createdAt))} ago`),
        claimLine(scope, c, reload, unclaim),
        canWork && !mine
          ? h(
              'button',
              { type: 'button', 'aria-keyshortcuts': 'n', onclick: () => void claimNext() },
              'Claim next case ',
              h('kbd', null, 'n'),
            )
          : null,
      ),
      informationRequestsPanel(detail.informationRequests),
      fourEyes(c, detail.decisions, ctx.user, approval?.element ?? null),
      h(
        'div',
        { class: decision ? 'split with-decision' : 'split' },
        declarationView(body, hits, {
          organization: detail.declaration.organization,
          createdAt: detail.declaration.createdAt,
        }),
        hitsPanel,
      ),
      invoicePanel(body, detail.declaration.organization, hits, ctx.signal),
      licencesPanel(body.items, ctx.signal),
      decision?.element ?? null,
      h(
        'section',
        { 'aria-labelledby': 'decisions-title' },
        h('h2', { id: 'decisions-title' }, 'Decisions'),
        decisionsList(detail.decisions),
      ),
      h('div', { class: 'case-work' }, notesPanel(detail.notes, addNote), documentsPanel(detail.documents, upload)),
      h(
        'section',
        { 'aria-labelledby': 'history-title' },
        h('h2', { id: 'history-title' }, 'History'),
        historyList(detail.history),
      ),
    );
  };

  const leaving: (() => void)[] = [];
  const load = async (): Promise<void> => {
    const detail = await getJson<CaseDetail>(path, undefined, ctx.signal);
    // Timers of the previous drawing stop; the new one starts its own.
    for (const stop of leaving.splice(0)) stop();
    const focused = document.activeElement;
    draw(detail, { ...ctx, onLeave: (fn) => leaving.push(fn) });
    if (focused && !document.contains(focused)) (ctx.main.querySelector('h1') as HTMLElement | null)?.focus();
  };
  ctx.onLeave(() => {
    for (const stop of leaving.splice(0)) stop();
  });
  await load();
}
