import { getJson, send } from '../api';
import { exportFileName, parseManifest } from '../audit-manifest';
import { field, h, replace } from '../dom';
import { saveBlob as save } from '../download';
import { isoToLocalInput, localInputToIso } from '../format';
import { announce, errorMessage } from '../live';
import type { VerifyResult } from '../types';
import type { PageContext } from './page';

function exportForm(ctx: PageContext): HTMLElement {
  const now = new Date();
  const from = h('input', {
    type: 'datetime-local',
    name: 'from',
    value: isoToLocalInput(new Date(now.getTime() - 30 * 86_400_000)),
  });
  const to = h('input', { type: 'datetime-local', name: 'to' });
  const action = h('input', { name: 'action', maxlength: 100, autocomplete: 'off', placeholder: 'e.g. case.decided' });
  const csv = h('input', { type: 'radio', name: 'format', value: 'csv', id: 'format-csv', checked: true });
  const ndjson = h('input', { type: 'radio', name: 'format', value: 'ndjson', id: 'format-ndjson' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Download');
  const result = h('div', { class: 'result', id: 'export-result', role: 'status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'export-title' },
    h('h2', { id: 'export-title' }, 'Export the decision log'),
    h(
      'div',
      { class: 'row' },
      field('From (your local time)', from, 'Events at or after this time.'),
      field('To (your local time)', to, 'Events before this time; empty means now.'),
      field('Only this action (optional)', action),
    ),
    h(
      'fieldset',
      { class: 'inline' },
      h('legend', null, 'Format'),
      csv,
      h('label', { for: 'format-csv' }, 'CSV'),
      ndjson,
      h('label', { for: 'format-ndjson' }, 'NDJSON'),
    ),
    submit,
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const format = ndjson.checked ? 'ndjson' : 'csv';
    const query = {
      format,
      from: localInputToIso(from.value),
      to: localInputToIso(to.value),
      action: action.value.trim() || undefined,
    };
    submit.disabled = true;
    replace(result, 'Preparing the export…');
    try {
      const res = await send('/v1/audit/events', {
        query,
        accept: format === 'csv' ? 'text/csv' : 'application/x-ndjson',
        signal: ctx.signal,
      });
      const blob = await res.blob();
      const manifest = parseManifest(await blob.slice(Math.max(0, blob.size - 16_384)).text(), format);
      const name = exportFileName(format, query.from, query.to);
      save(blob, name);
      replace(
        result,
        manifest
          ? h(
              'p',
              null,
              `Downloaded ${name}: ${manifest.rowCount} events`,
              manifest.firstSeq ? ` (seq ${manifest.firstSeq}–${manifest.lastSeq})` : '',
              `. Chain head at export: seq ${manifest.chainHeadSeq}, hash `,
              h('code', null, manifest.chainHeadHash ?? '—'),
              '. Keep the head hash outside the service to detect a rewrite later.',
            )
          : h('p', { class: 'error' }, `Downloaded ${name}, but it has no manifest: the export may be cut short.`),
      );
    } catch (err) {
      replace(result, h('p', { class: 'error' }, `Export failed: ${errorMessage(err)}`));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function verifyForm(ctx: PageContext): HTMLElement {
  const anchorSeq = h('input', { name: 'anchorSeq', inputmode: 'numeric', pattern: '[0-9]+', autocomplete: 'off' });
  const anchorHash = h('input', { name: 'anchorHash', pattern: '[0-9a-f]{64}', autocomplete: 'off', class: 'wide' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Verify chain');
  const result = h('div', { class: 'result', id: 'verify-result', role: 'status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'verify-title' },
    h('h2', { id: 'verify-title' }, 'Verify the chain'),
    h('p', { class: 'muted' }, 'Recomputes every hash of the log: any altered or removed record breaks the chain.'),
    h(
      'details',
      null,
      h('summary', null, 'Also check against a head hash you kept'),
      h('div', { class: 'row' }, field('Sequence number', anchorSeq), field('Hash', anchorHash)),
    ),
    submit,
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    if (Boolean(anchorSeq.value) !== Boolean(anchorHash.value)) {
      announce('Give both the sequence number and the hash, or neither.', 'error');
      return;
    }
    submit.disabled = true;
    replace(result, 'Verifying…');
    try {
      const r = await getJson<VerifyResult & { anchor?: { seq: number; ok: boolean } }>(
        '/v1/audit/verify',
        { anchorSeq: anchorSeq.value || undefined, anchorHash: anchorHash.value || undefined },
        ctx.signal,
      );
      const anchorOk = r.anchor ? r.anchor.ok : true;
      replace(
        result,
        h(
          'div',
          { class: r.ok && anchorOk ? 'verdict ok' : 'verdict bad' },
          h('p', { class: 'verdict-title' }, r.ok && anchorOk ? 'Chain intact' : 'Chain broken'),
          h('p', null, `${r.checked} events checked; head seq ${r.headSeq}, hash `, h('code', null, r.headHash), '.'),
          r.unsealed ? h('p', null, `${r.unsealed} newer events are not sealed yet.`) : null,
          r.firstBadSeq !== undefined
            ? h('p', null, `First bad record: seq ${r.firstBadSeq}. ${r.problem ?? ''}`)
            : null,
          r.anchor
            ? h(
                'p',
                null,
                r.anchor.ok
                  ? `Matches the head hash you kept at seq ${r.anchor.seq}.`
                  : `Does NOT match the head hash you kept at seq ${r.anchor.seq}.`,
              )
            : null,
        ),
      );
    } catch (err) {
      replace(result, h('p', { class: 'error' }, `Verification failed: ${errorMessage(err)}`));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export async function renderAudit(ctx: PageContext): Promise<void> {
  replace(
    ctx.main,
    h('h1', { tabindex: -1 }, 'Audit log'),
    h(
      'p',
      { class: 'muted' },
      'Every state change is written to a hash-chained, append-only log. Export a period, or check that nothing was altered.',
    ),
    h('div', { class: 'columns' }, exportForm(ctx), verifyForm(ctx)),
  );
}
