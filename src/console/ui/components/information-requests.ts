import { badge, h } from '../dom';
import { dateTime } from '../format';
import type { DeclarationDetail, InformationRequest } from '../types';
import { personLabel } from './case-state';

function sizeText(bytes: number): string {
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function requestItem(r: InformationRequest): HTMLElement {
  const state =
    r.status === 'open'
      ? r.overdueAt
        ? 'unanswered, past its time'
        : 'waiting for the broker'
      : r.status === 'answered'
        ? 'answered'
        : 'withdrawn (case decided)';
  return h(
    'li',
    null,
    h(
      'p',
      null,
      badge(
        state,
        r.status === 'open' ? (r.overdueAt ? 'overdue' : 'held') : r.status === 'answered' ? 'released' : 'claimed',
      ),
      ` Asked by ${personLabel(r.requestedBy)} at ${dateTime(r.requestedAt)}; answer by ${dateTime(r.respondBy)}`,
      r.overdueAt ? `; escalated to the supervisors at ${dateTime(r.overdueAt)}` : '',
      ':',
    ),
    h('blockquote', { class: 'asked' }, r.message),
    r.response
      ? h(
          'div',
          { class: 'answer' },
          h('h3', null, `Broker's answer, received ${dateTime(r.response.receivedAt)}`),
          h('blockquote', null, r.response.message),
          r.response.documents.length
            ? h(
                'ul',
                { class: 'documents', 'aria-label': 'Documents sent with the answer' },
                r.response.documents.map((d) =>
                  h(
                    'li',
                    null,
                    d.filename ?? d.id,
                    h('span', { class: 'muted' }, ` · ${d.contentType} · ${sizeText(d.size)}`),
                  ),
                ),
              )
            : null,
        )
      : null,
  );
}

/**
 * Requests for information at the top of the case: what the broker was asked, and the answers (newest first), so the
 * reviewer who takes the case back reads the answer before the hits.
 */
export function informationRequestsPanel(requests: InformationRequest[] | undefined): HTMLElement | null {
  if (!requests?.length) return null;
  const open = requests.some((r) => r.status === 'open');
  const answered = requests[0].status === 'answered';
  return h(
    'section',
    { class: `info-requests${open ? ' open' : ''}`, 'aria-labelledby': 'info-requests-title' },
    h(
      'h2',
      { id: 'info-requests-title' },
      open ? 'Information requested from the broker' : answered ? 'The broker answered' : 'Requests for information',
    ),
    h('ol', { class: 'history', reversed: true }, requests.map(requestItem)),
  );
}

/** The declaration page's view (the broker's too): what customs asks for while the request is open, and the answers. */
export function declarationRequestPanel(
  d: Pick<DeclarationDetail, 'informationRequest' | 'responses'>,
): HTMLElement | null {
  const open = d.informationRequest;
  const answers = d.responses ?? [];
  if (!open && !answers.length) return null;
  return h(
    'section',
    { class: `info-requests${open ? ' open' : ''}`, 'aria-labelledby': 'declaration-requests-title' },
    h('h2', { id: 'declaration-requests-title' }, open ? 'Customs asks for information' : 'Answers to customs'),
    open
      ? [
          h('blockquote', { class: 'asked' }, open.message),
          h(
            'p',
            null,
            `Asked ${dateTime(open.requestedAt)}; answer by ${dateTime(open.respondBy)} with POST /v1/declarations/{id}/responses (message and documents).`,
          ),
        ]
      : null,
    answers.length
      ? h(
          'ol',
          { class: 'history', reversed: true, 'aria-label': 'Answers sent' },
          answers.map((a) =>
            h(
              'li',
              null,
              `Sent ${dateTime(a.createdAt)}: `,
              h('q', null, a.message),
              a.documentIds.length ? h('span', { class: 'muted' }, ` · ${a.documentIds.length} document(s)`) : null,
            ),
          ),
        )
      : null,
  );
}
