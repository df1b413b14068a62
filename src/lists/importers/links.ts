/**
 * The ownership and control graph of a list version (issue 13): who owns, runs or is tied to whom. Read in a second
 * pass over the same parts as the entries (an importer may read a part more than once), so the entry importers stay
 * as they are and the graph costs nothing for formats that carry none.
 *   ftm-jsonl     Ownership (owner -> asset, `percentage` when given), Directorship (director -> organization),
 *                 Family (person -> relative), Associate (person -> associate), UnknownLink (subject -> object).
 *   ofac-sdn-csv  "Linked To: NAME" remarks: the entity is designated for its tie to NAME, resolved to the entry of
 *                 that name in the same file (names OFAC writes but does not list are dropped: no node to attach).
 * Ends of a link are entry ids of the same version; a link whose ends are absent from the file is kept anyway (it
 * costs nothing and the resolver ignores nodes it has no entry for).
 */
import { ImportFormatError, type LinkKind } from '../../domain/list-entry';
import { textLines } from './ftm-jsonl';
import type { ImportFormat, ImportParts } from './import-parts';
import { ofacRows } from './ofac-join';
import { splitRemarks } from './ofac-remarks';
import { decodeText } from './text-decode';

export interface EntityLink {
  /** The source's id of the relation (FtM id), or a derived one ("linked-to:<from>:<to>"). */
  linkId: string;
  kind: LinkKind;
  /** The owner, director, person or the party linked to: the side whose listing taints the other. */
  fromId: string;
  /** The asset, organisation, relative or the entity designated for the link. */
  toId: string;
  /** Share in percent (0-100], ownership only, when the source states it. */
  percentage?: number;
  /** The source's wording: "Исполнительный директор", "Family member of", "subsidiary of". */
  role?: string;
}

/** [schema] -> [kind, from property, to property] */
const FTM_LINKS: Record<string, [LinkKind, string, string]> = {
  Ownership: ['ownership', 'owner', 'asset'],
  Directorship: ['directorship', 'director', 'organization'],
  Family: ['family', 'person', 'relative'],
  Associate: ['associate', 'person', 'associate'],
  UnknownLink: ['unknown-link', 'subject', 'object'],
};

/** "75", "75.5", "75,5 %", "0.75"? FtM writes percent; a value outside (0, 100] is not a share we can use. */
export function parsePercentage(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const m = /^\s*(\d{1,3}(?:[.,]\d+)?)\s*%?\s*$/.exec(raw);
  if (!m) return undefined;
  const v = Number(m[1].replace(',', '.'));
  return v > 0 && v <= 100 ? v : undefined;
}

function first(props: Record<string, unknown>, key: string): string | undefined {
  const v = props[key];
  if (!Array.isArray(v)) return undefined;
  return v.find((x): x is string => typeof x === 'string' && x.trim() !== '')?.trim();
}

export async function* ftmLinks(source: NodeJS.ReadableStream): AsyncGenerator<EntityLink> {
  for await (const { text, line } of textLines(decodeText(source, 'file'))) {
    if (text.trim() === '') continue;
    let entity: { id?: unknown; schema?: unknown; properties?: Record<string, unknown> };
    try {
      entity = JSON.parse(text);
    } catch (err) {
      throw new ImportFormatError(`invalid JSON: ${(err as Error).message}`, 'file', line);
    }
    const spec = typeof entity?.schema === 'string' ? FTM_LINKS[entity.schema] : undefined;
    if (!spec || typeof entity.id !== 'string') continue;
    const [kind, fromProp, toProp] = spec;
    const props = entity.properties && typeof entity.properties === 'object' ? entity.properties : {};
    const fromId = first(props, fromProp);
    const toId = first(props, toProp);
    if (!fromId || !toId || fromId === toId) continue;
    const link: EntityLink = { linkId: entity.id, kind, fromId, toId };
    if (kind === 'ownership') {
      const pct = parsePercentage(first(props, 'percentage'));
      if (pct !== undefined) link.percentage = pct;
    }
    const role = first(props, 'role') ?? first(props, 'relationship');
    if (role) link.role = role;
    yield link;
  }
}

/** OFAC spells a linked name as in SDN_Name but may drop or add the sentence's final dot: compare on letters and digits. */
export function ofacNameKey(name: string): string {
  return name
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export async function* ofacLinks(parts: ImportParts): AsyncGenerator<EntityLink> {
  const byName = new Map<string, string>();
  const remarks = new Map<number, string>();
  for await (const row of ofacRows(parts, 'sdn')) {
    const name = row.fields[1];
    if (name) byName.set(ofacNameKey(name), String(row.entNum));
    if (row.fields[11]) remarks.set(row.entNum, row.fields[11]);
  }
  if (parts.comments !== undefined) {
    for await (const row of ofacRows(parts, 'comments'))
      remarks.set(row.entNum, (remarks.get(row.entNum) ?? '') + (row.fields[1] ?? ''));
  }
  for (const [entNum, text] of remarks) {
    const toId = String(entNum);
    for (const item of splitRemarks(text)) {
      const m = /^Linked To:\s*(.+)$/i.exec(item);
      if (!m) continue;
      const fromId = byName.get(ofacNameKey(m[1]));
      if (!fromId || fromId === toId) continue;
      yield {
        linkId: `linked-to:${fromId}:${toId}`,
        kind: 'linked-to',
        fromId,
        toId,
        role: `Linked To: ${m[1].trim()}`,
      };
    }
  }
}

/** The links of a version, or nothing for formats that carry no graph. */
export function linksOf(format: ImportFormat, parts: ImportParts): AsyncIterable<EntityLink> | undefined {
  if (format === 'ftm-jsonl' && parts.file !== undefined) return ftmLinks(parts.file());
  if (format === 'ofac-sdn-csv' && parts.sdn !== undefined) return ofacLinks(parts);
  return undefined;
}
