/**
 * Streaming XML records on top of sax: the file is parsed chunk by chunk and only the element currently being read
 * as a record (one UN INDIVIDUAL, one EU sanctionEntity) is held as a small tree, so memory does not grow with the
 * file. Namespace prefixes are dropped from names (the EU file uses a default namespace, some exports a prefix).
 */
import sax from 'sax';
import { ImportFormatError } from '../../domain/list-entry';
import { decodeText } from './text-decode';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
  /** 1-based line of the start tag. */
  line: number;
}

export interface XmlRecordOptions {
  /** Expected root element (local name). */
  root: string;
  /** True when the element at this path (root first, local names) is a record. */
  isRecord: (path: readonly string[]) => boolean;
}

function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

export async function* xmlRecords(
  source: NodeJS.ReadableStream,
  part: string,
  options: XmlRecordOptions,
): AsyncGenerator<XmlNode> {
  const parser = sax.parser(true, { trim: false, normalize: false, xmlns: false, position: true });
  const path: string[] = [];
  const open: XmlNode[] = [];
  let ready: XmlNode[] = [];
  let sawRoot = false;

  parser.onerror = (err) => {
    throw new ImportFormatError(`invalid XML: ${err.message.split('\n')[0]}`, part, parser.line + 1);
  };
  parser.onopentag = (tag) => {
    const name = localName(tag.name);
    if (path.length === 0) {
      if (name !== options.root)
        throw new ImportFormatError(`root element must be <${options.root}>, found <${name}>`, part, parser.line + 1);
      sawRoot = true;
    }
    path.push(name);
    if (open.length === 0 && !options.isRecord(path)) return;
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[localName(k)] = typeof v === 'string' ? v : v.value;
    const node: XmlNode = { name, attrs, children: [], text: '', line: parser.line + 1 };
    open[open.length - 1]?.children.push(node);
    open.push(node);
  };
  const onText = (text: string): void => {
    const node = open[open.length - 1];
    if (node) node.text += text;
  };
  parser.ontext = onText;
  parser.oncdata = onText;
  parser.onclosetag = () => {
    path.pop();
    const node = open.pop();
    if (node && open.length === 0) ready.push(node);
  };

  for await (const chunk of decodeText(source, part)) {
    parser.write(chunk);
    if (ready.length > 0) {
      const batch = ready;
      ready = [];
      yield* batch;
    }
  }
  parser.close();
  if (!sawRoot) throw new ImportFormatError('file is empty or has no XML root element', part);
  yield* ready;
}

export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

/** Trimmed text of the first child with that name, undefined when absent or blank. */
export function childText(node: XmlNode | undefined, name: string): string | undefined {
  const text = node && child(node, name)?.text.trim();
  return text ? text : undefined;
}
