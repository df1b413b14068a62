import { send } from '../api';
import { h, table, uid } from '../dom';
import { saveBlob } from '../download';
import { bytes, dateTime } from '../format';
import { announce, errorMessage } from '../live';
import type { CaseDocument, CaseNote } from '../types';

/** The types the service accepts by default (it sniffs the bytes; this only narrows the file picker). */
const ACCEPT =
  '.pdf,.png,.jpg,.jpeg,.tif,.tiff,.xml,application/pdf,image/png,image/jpeg,image/tiff,application/xml,text/xml';

const who = (a: { person: string | null; role: string }): string => (a.person ? `${a.person}, ${a.role}` : a.role);

/** Internal notes, newest first, with a form to add one (reviewers and supervisors: `add` is null for others). */
export function notesPanel(notes: CaseNote[], add: ((text: string) => Promise<void>) | null): HTMLElement {
  let form: HTMLFormElement | null = null;
  if (add) {
    const textId = uid('note');
    const text = h('textarea', {
      id: textId,
      name: 'text',
      required: true,
      maxlength: 4000,
      rows: 3,
      'aria-describedby': `${textId}-hint`,
    });
    const submit = h('button', { type: 'submit' }, 'Add note');
    form = h(
      'form',
      { class: 'note-form', 'aria-label': 'Add a note' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: textId }, 'New note'),
        text,
        h(
          'span',
          { class: 'hint', id: `${textId}-hint` },
          'Internal: never shown to the broker. Notes are kept and cannot be edited.',
        ),
      ),
      submit,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!text.value.trim()) {
        text.setAttribute('aria-invalid', 'true');
        text.focus();
        return;
      }
      text.removeAttribute('aria-invalid');
      submit.disabled = true;
      void add(text.value.trim()).finally(() => {
        submit.disabled = false;
      });
    });
  }
  return h(
    'section',
    { class: 'notes', 'aria-labelledby': 'notes-title' },
    h('h2', { id: 'notes-title' }, `Notes (${notes.length})`),
    form,
    notes.length
      ? h(
          'ol',
          { class: 'notes-list' },
          notes.map((n) =>
            h(
              'li',
              null,
              h(
                'p',
                { class: 'note-meta' },
                h('strong', null, who(n.author)),
                ' · ',
                h('time', { datetime: n.createdAt }, dateTime(n.createdAt)),
              ),
              h('p', { class: 'note-text' }, n.text),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No notes yet.'),
  );
}

/** Fetches a document with the key (a plain link could not carry it) and saves it under its name. */
async function download(doc: CaseDocument): Promise<void> {
  try {
    const res = await send(
      `/v1/declarations/${encodeURIComponent(doc.declarationId)}/documents/${encodeURIComponent(doc.id)}`,
      { accept: '*/*' },
    );
    saveBlob(await res.blob(), doc.filename ?? `${doc.id}`);
  } catch (err) {
    announce(`Download failed: ${errorMessage(err)}`, 'error');
  }
}

/** The declaration's documents with download buttons, and an upload form (reviewers and supervisors). */
export function documentsPanel(documents: CaseDocument[], upload: ((file: File) => Promise<void>) | null): HTMLElement {
  let form: HTMLFormElement | null = null;
  if (upload) {
    const fileId = uid('document');
    const input = h('input', {
      id: fileId,
      type: 'file',
      name: 'file',
      required: true,
      accept: ACCEPT,
      'aria-describedby': `${fileId}-hint`,
    });
    const submit = h('button', { type: 'submit' }, 'Upload');
    form = h(
      'form',
      { class: 'document-form row', 'aria-label': 'Upload a document' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: fileId }, 'Document file'),
        input,
        h(
          'span',
          { class: 'hint', id: `${fileId}-hint` },
          'PDF, PNG, JPEG, TIFF or XML; the type is read from the file itself.',
        ),
      ),
      submit,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const file = input.files?.[0];
      if (!file) {
        input.focus();
        return;
      }
      submit.disabled = true;
      void upload(file).finally(() => {
        submit.disabled = false;
      });
    });
  }
  const rows = documents.map((d) =>
    h(
      'tr',
      null,
      h('td', { class: 'name' }, d.filename ?? d.id),
      h('td', null, d.contentType),
      h('td', { class: 'num' }, bytes(d.size)),
      h('td', null, h('code', { title: d.sha256 }, `${d.sha256.slice(0, 10)}…`)),
      h(
        'td',
        null,
        who(d.uploadedBy),
        h('br'),
        h('time', { class: 'muted', datetime: d.createdAt }, dateTime(d.createdAt)),
      ),
      h(
        'td',
        null,
        h(
          'button',
          { type: 'button', 'aria-label': `Download ${d.filename ?? d.id}`, onclick: () => void download(d) },
          'Download',
        ),
      ),
    ),
  );
  return h(
    'section',
    { class: 'documents', 'aria-labelledby': 'documents-title' },
    h('h2', { id: 'documents-title' }, `Documents (${documents.length})`),
    documents.length
      ? h(
          'div',
          { class: 'table-scroll' },
          table('Documents of the declaration', ['Name', 'Type', 'Size', 'SHA-256', 'Uploaded', ''], rows),
        )
      : h('p', { class: 'muted' }, 'No documents yet.'),
    form,
  );
}
