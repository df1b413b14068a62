import { join } from 'node:path';
import { goodsImporter } from './index';
import { normalizeHsPrefix } from './goods';
import { REPO_ROOT, collect, file, importError, text } from './__tests__/support';

const CHPL = join(REPO_ROOT, 'src', 'lists', 'seed-data', 'chpl_hs6_tiers.tsv');

describe('goods-tsv on the CHPL seed file', () => {
  it('imports the 50 CHPL codes with tiers mapped to severities', async () => {
    const entries = await collect(goodsImporter('goods-tsv')({ file: file(CHPL) }));
    expect(entries).toHaveLength(50);
    const bySource = entries.reduce<Record<string, number>>(
      (acc, g) => ({ ...acc, [g.source ?? '']: (acc[g.source ?? ''] ?? 0) + 1 }),
      {},
    );
    expect(bySource).toEqual({
      'CHPL tier 1': 4,
      'CHPL tier 2': 5,
      'CHPL tier 3.A': 16,
      'CHPL tier 3.B': 9,
      'CHPL tier 4.A': 11,
      'CHPL tier 4.B': 5,
    });
    expect(
      entries
        .filter((g) => g.severity === 'high')
        .map((g) => g.prefix)
        .slice(0, 4),
    ).toEqual(['854231', '854232', '854233', '854239']);
    expect(entries.filter((g) => g.severity === 'medium')).toHaveLength(41);
    expect(entries[1]).toEqual({
      prefix: '854232',
      severity: 'high',
      label: 'Electronic integrated circuits; memories',
      source: 'CHPL tier 1',
    });
    expect(entries.map((g) => g.prefix)).toContain('880730');
  });
});

describe('goods-csv / goods-tsv own layout', () => {
  it('normalises codes with dots and spaces, and accepts a missing source', async () => {
    const entries = await collect(
      goodsImporter('goods-csv')({
        file: text(
          'prefix,severity,label,source\n8542.31,high,Processors,EU Annex XL\n"8471 30 000 0",Medium,Laptops,\n85,low,Chapter 85,\n',
        ),
      }),
    );
    expect(entries).toEqual([
      { prefix: '854231', severity: 'high', label: 'Processors', source: 'EU Annex XL' },
      { prefix: '8471300000', severity: 'medium', label: 'Laptops' },
      { prefix: '85', severity: 'low', label: 'Chapter 85' },
    ]);
    const tsv = await collect(goodsImporter('goods-tsv')({ file: text('prefix\tseverity\tlabel\n8542\thigh\tICs\n') }));
    expect(tsv).toEqual([{ prefix: '8542', severity: 'high', label: 'ICs' }]);
  });

  it.each([
    ['prefix,severity,label,source\n8542,high,A,\n8X42,high,B,\n', 3, /invalid goods code "8X42"/],
    ['prefix,severity,label,source\n8,high,A,\n', 2, /invalid goods code "8"/],
    ['prefix,severity,label,source\n85423100001,high,A,\n', 2, /invalid goods code/],
    ['prefix,severity,label,source\n8542,critical,A,\n', 2, /invalid severity "critical"/],
    ['prefix,severity,label,source\n8542,high,,\n', 2, /label is empty/],
    ['prefix,severity,label,source\n8542,high\n', 2, /expected 4 columns/],
    ['code,level\n8542,high\n', 1, /header must be/],
    [
      'hs6\ttier\ttier_group_label_paraphrase\ths2022_description_un_comtrade\n854231\t5\tx\tICs\n',
      2,
      /invalid CHPL tier "5"/,
    ],
  ])('rejects bad input %#', async (content, line, message) => {
    const delimiter = content.includes('\t') ? 'goods-tsv' : 'goods-csv';
    const err = await importError(goodsImporter(delimiter)({ file: text(content) }));
    expect(err).toMatchObject({ part: 'file', line });
    expect(err.message).toMatch(message);
  });

  it('rejects an empty file and a header without rows', async () => {
    expect((await importError(goodsImporter('goods-csv')({ file: text('') }))).message).toMatch(/empty/);
    expect(
      (await importError(goodsImporter('goods-csv')({ file: text('prefix,severity,label,source\n') }))).message,
    ).toMatch(/no entries/);
  });
});

describe('normalizeHsPrefix', () => {
  it('keeps 2-10 digits and rejects everything else', () => {
    expect(normalizeHsPrefix(' 8542.31.000.0 ')).toBe('8542310000');
    expect(normalizeHsPrefix('8542 31')).toBe('854231');
    expect(normalizeHsPrefix('3A001')).toBeUndefined();
    expect(normalizeHsPrefix('-8542')).toBeUndefined();
  });
});
