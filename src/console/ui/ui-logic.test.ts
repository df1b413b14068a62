/** Unit tests of the console's pure logic (no DOM): token alignment, formatting, queue order, manifests, routes. */
import { exportFileName, parseManifest } from './audit-manifest';
import { claimedBy, claimOrder, isOverdue, leaseLeft } from './cases-model';
import { countdown, duration, localInputToIso, money, rescreenText } from './format';
import { parseHash } from './router';
import { alignTokens, fold, highlightWords, subjectLabel } from './tokens';
import type { ReviewCase, TokenComparison } from './types';

describe('token alignment', () => {
  const tokens: TokenComparison[] = [
    { queryToken: 'vector', listToken: 'vector', similarity: 1, note: 'exact', weight: 0.9 },
    { queryToken: 'komponents', listToken: 'components', similarity: 0.9, note: 'transliteration', weight: 0.8 },
    { queryToken: null, listToken: 'group', similarity: 0, note: 'missing', weight: 0.2 },
  ];

  it('numbers each pair on both sides and leaves unmatched tokens out', () => {
    const a = alignTokens('vector komponents', 'vector components group', tokens);
    expect(a.query.map((t) => [t.text, t.pair, t.other])).toEqual([
      ['vector', 1, 'vector'],
      ['komponents', 2, 'components'],
    ]);
    expect(a.list.map((t) => [t.text, t.pair])).toEqual([
      ['vector', 1],
      ['components', 2],
      ['group', null],
    ]);
    expect([...a.matchedList]).toEqual(['vector', 'components']);
  });

  it('pairs a repeated token only once per comparison', () => {
    const a = alignTokens('ivan ivan', 'ivan', [
      { queryToken: 'ivan', listToken: 'ivan', similarity: 1, note: 'exact', weight: 1 },
    ]);
    expect(a.query.map((t) => t.pair)).toEqual([1, null]);
  });

  it('marks the written words whose folded form met a token, keeping punctuation and spacing', () => {
    const segments = highlightWords('OOO "Vector Components", Moscow', new Set(['vector', 'components']));
    expect(segments.map((s) => s.text).join('')).toBe('OOO "Vector Components", Moscow');
    expect(segments.filter((s) => s.match).map((s) => s.text)).toEqual(['Vector', 'Components']);
    expect(fold('Société')).toBe('societe');
  });

  it('names hit subjects for people', () => {
    expect(subjectLabel('items[1].manufacturer', [10, 20])).toBe('line 20 manufacturer');
    expect(subjectLabel('items[0]')).toBe('line 1');
    expect(subjectLabel('notifyParty')).toBe('notify party');
    expect(subjectLabel('transitCountries[0]')).toBe('transit country 1');
    expect(subjectLabel('consignee.identifiers[0]')).toBe('consignee identifier 1');
  });
});

describe('formatting', () => {
  it('formats durations, countdowns and money', () => {
    expect(duration(45_000)).toBe('45 s');
    expect(duration(12 * 60_000)).toBe('12 min');
    expect(duration((3 * 60 + 5) * 60_000)).toBe('3 h 05 min');
    expect(duration(52 * 3_600_000)).toBe('2 d 4 h');
    expect(countdown(247_000)).toBe('4:07');
    expect(countdown(-5)).toBe('0:00');
    expect(money({ amount: 1234.5, currency: 'EUR' })).toBe('1,234.5 EUR');
    expect(
      rescreenText({ status: 'completed', deltaEntries: 3, candidates: 12, processed: 12, flagged: 1, error: null }),
    ).toBe('completed: 12 of 12 checked, 1 flagged (3 changed entries)');
    expect(
      rescreenText({ status: 'failed', deltaEntries: null, candidates: null, processed: 0, flagged: 0, error: 'boom' }),
    ).toBe('failed: boom');
    expect(rescreenText(null)).toBe('none');
    expect(localInputToIso('')).toBeUndefined();
    expect(localInputToIso('2026-11-01T10:00')).toBe(new Date('2026-11-01T10:00').toISOString());
  });
});

describe('queue order and leases', () => {
  const base: ReviewCase = {
    id: 'a',
    declarationId: 'd',
    reference: 'R',
    organization: 'o',
    status: 'open',
    level: 'REVIEW',
    priority: 'normal',
    priorityRank: 3,
    riskScore: 50,
    deadline: '2026-11-01T12:00:00Z',
    overdue: false,
    escalated: false,
    assignee: null,
    assigneeName: null,
    leaseExpiresAt: null,
    claimed: false,
    resolution: null,
    awaitingApproval: null,
    createdAt: '2026-11-01T08:00:00Z',
    closedAt: null,
    slaPausedAt: null,
    assigneePerson: null,
    updatedAt: '2026-11-01T08:00:00Z',
  };

  it('sorts by priority, then deadline, then age, as claiming does', () => {
    const cases: ReviewCase[] = [
      { ...base, id: 'late', deadline: '2026-11-01T13:00:00Z' },
      { ...base, id: 'critical', priority: 'critical', priorityRank: 1, deadline: '2026-11-02T00:00:00Z' },
      { ...base, id: 'younger', createdAt: '2026-11-01T09:00:00Z' },
      { ...base, id: 'older' },
    ];
    expect(cases.sort(claimOrder).map((c) => c.id)).toEqual(['critical', 'older', 'younger', 'late']);
  });

  it('knows overdue cases and whose lease is running', () => {
    const now = Date.parse('2026-11-01T12:30:00Z');
    expect(isOverdue(base, now)).toBe(true);
    expect(isOverdue({ ...base, closedAt: '2026-11-01T12:10:00Z' }, now)).toBe(false);
    // Waiting for the broker: the clock stands, so a passed deadline is not late (the answer moves it); the server's flag still counts.
    expect(isOverdue({ ...base, slaPausedAt: '2026-11-01T11:00:00Z' }, now)).toBe(false);
    expect(isOverdue({ ...base, slaPausedAt: '2026-11-01T11:00:00Z', overdue: true }, now)).toBe(true);
    const leased = { ...base, assignee: 'me', leaseExpiresAt: '2026-11-01T12:35:00Z' };
    expect(leaseLeft(leased, now)).toBe(300_000);
    expect(claimedBy(leased, 'me', now)).toBe(true);
    expect(claimedBy(leased, 'you', now)).toBe(false);
    expect(claimedBy(leased, 'me', now + 600_000)).toBe(false);
  });
});

describe('audit export manifest', () => {
  const manifest = {
    rowCount: 3,
    firstSeq: 1,
    lastSeq: 3,
    chainHeadSeq: 3,
    chainHeadHash: 'ab',
    filter: {},
    generatedAt: '2026-11-01T00:00:00Z',
  };

  it('reads the manifest at the end of NDJSON and CSV exports', () => {
    expect(parseManifest(`{"seq":3}\n${JSON.stringify({ manifest })}\n`, 'ndjson')).toMatchObject({
      rowCount: 3,
      chainHeadHash: 'ab',
    });
    const cell = `"${JSON.stringify(manifest).replace(/"/g, '""')}"`;
    expect(parseManifest(`seq,hash\r\n3,ab\r\n#manifest,${cell}\r\n`, 'csv')).toMatchObject({ lastSeq: 3 });
    expect(parseManifest('seq,hash\r\n3,ab\r\n', 'csv')).toBeUndefined();
    expect(parseManifest('', 'ndjson')).toBeUndefined();
  });

  it('names the file after the period', () => {
    expect(exportFileName('csv', '2026-10-01T00:00:00.000Z', undefined)).toBe('audit-events_2026-10-01T0000_now.csv');
  });
});

describe('hash routes', () => {
  it('maps hashes to pages', () => {
    expect(parseHash('#/queue')).toMatchObject({ page: 'queue' });
    expect(parseHash('#/cases/abc')).toMatchObject({ page: 'case', id: 'abc' });
    expect(parseHash('#/declarations/xyz')).toMatchObject({ page: 'declaration', id: 'xyz' });
    expect(parseHash('#/declarations?status=held').query.get('status')).toBe('held');
    expect(parseHash('#/nowhere/at/all').page).toBe('not-found');
    expect(parseHash('').page).toBe('queue');
  });
});
