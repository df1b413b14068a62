import { getJson, send } from '../api';
import { field, h, select } from '../dom';
import { rescreenText } from '../format';
import { announce, errorMessage } from '../live';
import type { ListVersion, ListView } from '../types';
import type { PageContext } from './page';

const FORMATS: [string, string][] = [
  ['entities-csv', 'entities-csv (simple custom list)'],
  ['ofac-sdn-csv', 'ofac-sdn-csv (sdn, alt, add, comments files)'],
  ['csl-csv', 'csl-csv (US Consolidated Screening List)'],
  ['un-xml', 'un-xml (UN consolidated list)'],
  ['eu-fsf-xml', 'eu-fsf-xml (EU financial sanctions)'],
  ['uk-sanctions-xml', 'uk-sanctions-xml (UK Sanctions List, FCDO)'],
  ['ftm-jsonl', 'ftm-jsonl (FollowTheMoney entities)'],
  ['goods-tsv', 'goods-tsv (HS prefix, severity, label)'],
  ['goods-csv', 'goods-csv (HS prefix, severity, label)'],
];

function fileInput(name: string, required: boolean): HTMLInputElement {
  return h('input', { type: 'file', name, required });
}

/**
 * Follows an uploaded version: its import (announced when it ends), then the delta re-screening its activation
 * started (shown in `status` until it ends).
 */
async function follow(
  ctx: PageContext,
  listId: string,
  versionId: string,
  status: HTMLElement,
  done: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  let imported = false;
  while (!ctx.signal.aborted && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    if (ctx.signal.aborted) return;
    const v = await getJson<ListVersion>(
      `/v1/lists/${encodeURIComponent(listId)}/versions/${versionId}`,
      undefined,
      ctx.signal,
    );
    if (v.status === 'importing') continue;
    if (!imported) {
      imported = true;
      announce(
        v.status === 'failed'
          ? `Import of ${listId} failed: ${v.error ?? 'no reason given'}`
          : `Import of ${listId} finished: ${v.status}, ${v.entryCount ?? 0} entries.`,
        v.status === 'failed' ? 'error' : 'info',
      );
      await done();
    }
    if (v.status !== 'active' || !v.rescreen) return;
    status.textContent = `Version ${versionId}: re-screening ${rescreenText(v.rescreen)}.`;
    if (v.rescreen.status === 'completed' || v.rescreen.status === 'failed') return;
  }
}

/** Admins: upload a new version of a list (multipart/form-data, as the API takes it). */
export function uploadForm(ctx: PageContext, lists: ListView[], refresh: () => Promise<void>): HTMLElement {
  const listId = h('input', {
    name: 'listId',
    required: true,
    pattern: '[a-z0-9][a-z0-9_\\-]{1,62}',
    list: 'known-lists',
    autocomplete: 'off',
  });
  const format = select('format', FORMATS);
  const kind = select('kind', [
    ['', '(from the format)'],
    ['entities', 'entities'],
    ['goods', 'goods'],
  ]);
  const name = h('input', { name: 'name', maxlength: 200, autocomplete: 'off' });
  const single = h('div', null, field('File', fileInput('file', true)));
  const ofac = h(
    'div',
    { hidden: true },
    field('sdn.csv', fileInput('sdn', false)),
    field('alt.csv (optional)', fileInput('alt', false)),
    field('add.csv (optional)', fileInput('add', false)),
    field('sdn_comments.csv (optional)', fileInput('comments', false)),
  );
  const status = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Upload');
  const syncParts = (): void => {
    const isOfac = format.value === 'ofac-sdn-csv';
    single.hidden = isOfac;
    ofac.hidden = !isOfac;
    (single.querySelector('input') as HTMLInputElement).required = !isOfac;
    (ofac.querySelector('input[name=sdn]') as HTMLInputElement).required = isOfac;
  };
  format.addEventListener('change', syncParts);

  const form = h(
    'form',
    { class: 'card upload', 'aria-labelledby': 'upload-title' },
    h('h2', { id: 'upload-title' }, 'Upload a new version'),
    h(
      'datalist',
      { id: 'known-lists' },
      lists.map((l) => h('option', { value: l.id }, l.name)),
    ),
    h(
      'div',
      { class: 'row' },
      field('List id', listId, 'An existing list, or a new one (lower-case letters, digits, - and _).'),
      field('Format', format),
      field('Kind (new lists only)', kind),
      field('Name (optional)', name),
    ),
    single,
    ofac,
    submit,
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const body = new FormData();
    body.set('format', format.value);
    if (kind.value) body.set('kind', kind.value);
    if (name.value.trim()) body.set('name', name.value.trim());
    for (const input of form.querySelectorAll<HTMLInputElement>('input[type=file]')) {
      const file = input.files?.[0];
      if (file && !input.closest('[hidden]')) body.append(input.name, file, file.name);
    }
    submit.disabled = true;
    status.textContent = 'Uploading…';
    try {
      const res = await send(`/v1/lists/${encodeURIComponent(listId.value)}/versions`, {
        method: 'POST',
        form: body,
        signal: ctx.signal,
      });
      const accepted = (await res.json()) as { versionId: string; status: string };
      status.textContent = `Accepted: version ${accepted.versionId} is ${accepted.status}.`;
      await refresh();
      await follow(ctx, listId.value, accepted.versionId, status, refresh);
      form.reset();
      syncParts();
    } catch (err) {
      status.textContent = '';
      announce(`Upload failed: ${errorMessage(err)}`, 'error');
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
