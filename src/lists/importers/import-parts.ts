/**
 * The input every importer takes. Kept apart from index.ts (which maps formats to importers) so the importers can
 * name these types without importing the index that imports them.
 */
export type ImportFormat =
  | 'ofac-sdn-csv'
  | 'csl-csv'
  | 'un-xml'
  | 'eu-fsf-xml'
  | 'uk-sanctions-xml'
  | 'ftm-jsonl'
  | 'entities-csv'
  | 'goods-tsv'
  | 'goods-csv';

/** Part name -> factory of a fresh byte stream (an importer may read a part more than once). */
export interface ImportParts {
  [partName: string]: () => NodeJS.ReadableStream;
}
