/**
 * What a document's bytes are, from their first bytes (magic numbers), whatever the file name or the declared type
 * say. Only the types a document may be are recognised: everything else answers `undefined` and is refused.
 *
 * Why our own few signatures instead of the `file-type` package: its current major is ESM-only (this service is
 * CommonJS), it is not among our dependencies, and it knows hundreds of formats we would never accept. An allow-list
 * needs only to recognise the allowed types exactly and strictly; a short, tested table does that with no dependency.
 * Strict means at offset 0: PDF readers tolerate junk before `%PDF-`, but that tolerance is how polyglot files (a PDF
 * that is also an HTML page or a ZIP) get past filters, so we do not extend it.
 */

// The types themselves are declared with the configuration, which checks DOCUMENT_TYPES against them when it loads.
import type { SniffedType } from '../config/document-types';

/** Bytes a sniff needs at most (the XML check looks past the prolog for the root element). */
export const SNIFF_BYTES = 4096;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const PDF = [...'%PDF-'].map((c) => c.charCodeAt(0));
// Classic TIFF (42) and BigTIFF (43), little- and big-endian.
const TIFF = [
  [0x49, 0x49, 0x2a, 0x00],
  [0x4d, 0x4d, 0x00, 0x2a],
  [0x49, 0x49, 0x2b, 0x00],
  [0x4d, 0x4d, 0x00, 0x2b],
];

function startsWith(head: Uint8Array, signature: number[], offset = 0): boolean {
  if (head.length < offset + signature.length) return false;
  return signature.every((byte, i) => head[offset + i] === byte);
}

/** The head decoded as text when it is an XML document's start (UTF-8 with or without BOM, or UTF-16 with BOM). */
function xmlText(head: Buffer): string | undefined {
  let text: string;
  if (startsWith(head, [0xef, 0xbb, 0xbf])) text = head.subarray(3).toString('utf8');
  else if (startsWith(head, [0xff, 0xfe])) text = head.subarray(2).toString('utf16le');
  else if (startsWith(head, [0xfe, 0xff])) {
    const body = Buffer.from(head.subarray(2, 2 + ((head.length - 2) & ~1)));
    text = body.swap16().toString('utf16le');
  } else text = head.toString('utf8');
  return /^<\?xml[\s?]/.test(text) ? text : undefined;
}

/**
 * The first element's name after the prolog (declaration, processing instructions, comments, doctype), or undefined
 * when the head ends first. Needed because SVG and XHTML are XML too, and both can carry script.
 */
function rootElement(text: string): string | undefined {
  let rest = text;
  for (;;) {
    rest = rest.replace(/^\s+/, '');
    if (rest.startsWith('<?')) {
      const end = rest.indexOf('?>');
      if (end < 0) return undefined;
      rest = rest.slice(end + 2);
    } else if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->');
      if (end < 0) return undefined;
      rest = rest.slice(end + 3);
    } else if (rest.startsWith('<!DOCTYPE') || rest.startsWith('<!doctype')) {
      // An internal subset ([...]) may hold '>' characters: skip to the end of the subset first.
      const bracket = rest.indexOf('[');
      const close = rest.indexOf('>');
      if (close < 0) return undefined;
      if (bracket >= 0 && bracket < close) {
        const subsetEnd = rest.indexOf(']', bracket);
        if (subsetEnd < 0) return undefined;
        const end = rest.indexOf('>', subsetEnd);
        if (end < 0) return undefined;
        rest = rest.slice(end + 1);
      } else rest = rest.slice(close + 1);
    } else {
      const m = /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)/.exec(rest);
      return m ? m[1] : '';
    }
  }
}

/** Root elements that make an XML file a page a browser would run (SVG, XHTML): not an e-document. */
const ACTIVE_ROOTS = new Set(['svg', 'html']);

/**
 * The type of the bytes, or undefined when they are none of the sniffable types. `head` is the file's first
 * SNIFF_BYTES (or the whole file when it is shorter).
 */
export function sniff(head: Buffer): SniffedType | undefined {
  if (startsWith(head, PDF)) return 'application/pdf';
  if (startsWith(head, PNG)) return 'image/png';
  if (startsWith(head, JPEG)) return 'image/jpeg';
  if (TIFF.some((signature) => startsWith(head, signature))) return 'image/tiff';
  const text = xmlText(head.subarray(0, SNIFF_BYTES));
  if (text !== undefined) {
    const root = rootElement(text);
    // No root element within the first SNIFF_BYTES (an enormous prolog), or an active one: not accepted as XML.
    if (!root) return undefined;
    const local = root.includes(':') ? root.slice(root.indexOf(':') + 1) : root;
    return ACTIVE_ROOTS.has(local.toLowerCase()) ? undefined : 'application/xml';
  }
  return undefined;
}
