import { FORMATS, entityImporter, goodsImporter, type ImportFormat } from './index';
import { importError, text } from './__tests__/support';

describe('importers index', () => {
  it('describes every format', () => {
    expect(Object.keys(FORMATS).sort()).toEqual([
      'csl-csv',
      'entities-csv',
      'eu-fsf-xml',
      'ftm-jsonl',
      'goods-csv',
      'goods-tsv',
      'ofac-sdn-csv',
      'uk-sanctions-xml',
      'un-xml',
    ]);
    expect(FORMATS['ofac-sdn-csv']).toEqual({
      kind: 'entities',
      parts: ['sdn', 'alt', 'add', 'comments'],
      requiredParts: ['sdn'],
    });
    expect(FORMATS['goods-tsv']).toEqual({ kind: 'goods', parts: ['file'], requiredParts: ['file'] });
  });

  it('has an importer of the right kind for every format', () => {
    for (const [format, spec] of Object.entries(FORMATS) as [ImportFormat, (typeof FORMATS)[ImportFormat]][]) {
      if (spec.kind === 'entities') {
        expect(typeof entityImporter(format)).toBe('function');
        expect(() => goodsImporter(format)).toThrow(/not a goods format/);
      } else {
        expect(typeof goodsImporter(format)).toBe('function');
        expect(() => entityImporter(format)).toThrow(/not an entities format/);
      }
    }
  });

  it('fails with ImportFormatError when a required part is missing', async () => {
    for (const [format, spec] of Object.entries(FORMATS) as [ImportFormat, (typeof FORMATS)[ImportFormat]][]) {
      const run = spec.kind === 'entities' ? entityImporter(format) : goodsImporter(format);
      const err = await importError(run({ other: text('x') }));
      expect(err.part).toBe(spec.requiredParts[0]);
      expect(err.message).toMatch(/required part is missing/);
    }
  });

  it('fails on an empty file for every format', async () => {
    for (const [format, spec] of Object.entries(FORMATS) as [ImportFormat, (typeof FORMATS)[ImportFormat]][]) {
      const run = spec.kind === 'entities' ? entityImporter(format) : goodsImporter(format);
      const err = await importError(run({ [spec.requiredParts[0]]: text('') }));
      expect(err.part).toBe(spec.requiredParts[0]);
    }
  });
});
