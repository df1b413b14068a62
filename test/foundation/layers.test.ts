import path from 'node:path';

/**
 * The layers drawn in the README's Layout section, checked on the real import graph (type-only imports included):
 * no file imports itself back through a chain, and every folder of src imports only folders of its own layer or of
 * the layers below, never one above, and never one that imports it back.
 */

const madge = require('madge') as (
  root: string,
  options: Record<string, unknown>,
) => Promise<{ obj(): Record<string, string[]>; circular(): string[][] }>;

/** Bottom to top; a folder may import its own layer and those below. Must match the README's Layout section. */
export const LAYERS: string[][] = [
  ['config', 'observability', 'domain'],
  ['identifiers', 'db'],
  ['http', 'jobs'],
  ['screening', 'audit'],
  ['auth', 'review-rules'],
  ['lists', 'webhooks', 'documents', 'licences'],
  ['list-sources', 'stats'],
  ['declarations'],
  ['cases', 'invoices', 'allow-list'],
  ['information-requests', 'rescreen'],
  ['console'],
  ['(entry)'],
];

const ROOT = path.resolve(__dirname, '../../src');

/** Entry points: the top-level files and the command-line tools (`*-cli.ts`), which compose the layers below. */
function folderOf(file: string): string {
  const parts = file.split('/');
  if (file.endsWith('-cli.ts')) return '(entry)';
  return parts.length > 1 ? parts[0] : '(entry)';
}

describe('layers', () => {
  let graph: Record<string, string[]>;
  let circular: string[][];

  beforeAll(async () => {
    const result = await madge(ROOT, {
      fileExtensions: ['ts'],
      tsConfig: path.resolve(__dirname, '../../tsconfig.json'),
      excludeRegExp: [/\.test\.ts$/, /^console\/ui\//],
    });
    // Files outside src reached through an import (migrations, from the data source) are not part of these layers.
    graph = Object.fromEntries(
      Object.entries(result.obj())
        .filter(([file]) => !file.startsWith('../'))
        .map(([file, deps]) => [file, deps.filter((d) => !d.startsWith('../'))]),
    );
    circular = result.circular();
  }, 60_000);

  it('has no import cycle between files', () => {
    expect(circular).toEqual([]);
  });

  it('puts every folder of src in exactly one layer', () => {
    const folders = new Set(Object.keys(graph).map(folderOf));
    const placed = LAYERS.flat();
    expect(new Set(placed).size).toBe(placed.length);
    expect([...folders].filter((f) => !placed.includes(f)).sort()).toEqual([]);
  });

  it('has folders import only their own layer or the layers below, never each other both ways', () => {
    const layerOf = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i] as const)));
    const edges = new Map<string, string>();
    for (const [from, deps] of Object.entries(graph)) {
      for (const to of deps) {
        const a = folderOf(from);
        const b = folderOf(to);
        if (a !== b && !edges.has(`${a} -> ${b}`)) edges.set(`${a} -> ${b}`, `${from} -> ${to}`);
      }
    }
    const upward = [...edges]
      .filter(([edge]) => {
        const [a, b] = edge.split(' -> ');
        return (layerOf.get(b) ?? Infinity) > (layerOf.get(a) ?? -1);
      })
      .map(([, example]) => example);
    const bothWays = [...edges]
      .filter(([edge]) => edges.has(edge.split(' -> ').reverse().join(' -> ')))
      .map(([, example]) => example);
    expect({ upward, bothWays }).toEqual({ upward: [], bothWays: [] });
  });
});
