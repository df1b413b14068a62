/** Reads the manifest an audit export ends with (see src/audit/audit-export.ts). Pure: unit-tested. */
export interface ExportManifest {
  rowCount: number;
  firstSeq: number | null;
  lastSeq: number | null;
  chainHeadSeq: number;
  chainHeadHash: string | null;
  generatedAt: string;
}

/** `tail` is the end of the export (its last few KB); answers the manifest, or undefined when there is none. */
export function parseManifest(tail: string, format: 'csv' | 'ndjson'): ExportManifest | undefined {
  const lines = tail.split(/\r?\n/).filter((l) => l.trim() !== '');
  const last = lines[lines.length - 1];
  if (!last) return undefined;
  try {
    if (format === 'ndjson') {
      const parsed = JSON.parse(last) as { manifest?: ExportManifest };
      return parsed.manifest;
    }
    if (!last.startsWith('#manifest,')) return undefined;
    let cell = last.slice('#manifest,'.length);
    if (cell.startsWith('"') && cell.endsWith('"')) cell = cell.slice(1, -1).replace(/""/g, '"');
    return JSON.parse(cell) as ExportManifest;
  } catch {
    return undefined;
  }
}

/** audit-events_2026-10-01T0000_2026-11-01T0000.csv: the period in the name, safe on every file system. */
export function exportFileName(format: 'csv' | 'ndjson', from?: string, to?: string): string {
  const stamp = (iso: string | undefined, fallback: string): string =>
    iso ? iso.slice(0, 16).replace(/:/g, '') : fallback;
  return `audit-events_${stamp(from, 'start')}_${stamp(to, 'now')}.${format}`;
}
