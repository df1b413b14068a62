/**
 * Turns the scorer's arrays into the explanation a reviewer reads. Runs only for returned matches, so it may
 * allocate freely.
 */
import type { IndexData } from './index-builder';
import { prepareName, type PreparedQuery } from './prepared-name';
import { ALPHA_EXTRA_QUERY, ALPHA_MIDDLE, ALPHA_PATRONYMIC, PENALTY_PATRONYMIC, type NameScorer } from './name-scorer';
import { TOKEN_NOTE_TEXT, TokenNote } from './token-similarity';
import type { MatchExplanation, ScoreAdjustment, TokenComparison } from './types';

const MAXL = 24;

function r4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

export function explainNameMatch(
  q: PreparedQuery,
  qWeights: Float32Array,
  d: IndexData,
  n: number,
  sc: NameScorer,
  countryAdjustment: ScoreAdjustment | null,
  finalScore: number,
): MatchExplanation {
  const listName = d.entries[d.nameEntry[n]].names[d.nameAlias[n]];
  const start = d.nameTokStart[n];
  const listTokens: string[] = [];
  for (let j = 0; j < sc.l; j++) listTokens.push(d.tokenText[d.nameTokens[start + j]]);
  const tokens: TokenComparison[] = [];
  for (let i = 0; i < sc.m; i++) {
    const j = sc.qPair[i];
    if (j >= 0) {
      const note = sc.note[i * MAXL + j] as TokenNote;
      tokens.push({
        queryToken: q.name.tokens[i],
        listToken: listTokens[j],
        similarity: r4(sc.sim[i * MAXL + j]),
        note: TOKEN_NOTE_TEXT[note],
        weight: r4((qWeights[i] + sc.lWeight[j]) / 2),
      });
    } else {
      tokens.push(missing(q.name.tokens[i], null, qWeights[i], sc.qAlpha[i]));
    }
  }
  for (let j = 0; j < sc.l; j++) {
    if (sc.lPair[j] < 0) tokens.push(missing(null, listTokens[j], sc.lWeight[j], sc.lAlpha[j]));
  }
  const adjustments: ScoreAdjustment[] = [];
  if (sc.patronymicConflict !== '') {
    adjustments.push({ reason: `different patronymic (in ${sc.patronymicConflict})`, delta: PENALTY_PATRONYMIC });
  }
  if (sc.cap !== null) {
    const before = sc.base + (sc.patronymicConflict !== '' ? PENALTY_PATRONYMIC : 0);
    adjustments.push({ reason: `capped at ${sc.cap}: ${sc.capReason}`, delta: r4(sc.cap - before) });
  }
  if (countryAdjustment !== null) adjustments.push(countryAdjustment);
  const listPrepared = prepareName(listName);
  const explanation: MatchExplanation = {
    queryName: q.name.original,
    listName,
    normalizedQuery: q.name.normalized,
    normalizedList: listTokens.join(' '),
    tokens,
    legalFormsIgnored: { query: q.name.legalForms, list: listPrepared.legalForms },
    nameScore: r4(sc.base),
    adjustments,
    summary: '',
  };
  explanation.summary = summarize(explanation, finalScore);
  return explanation;
}

function missing(queryToken: string | null, listToken: string | null, weight: number, alpha: number): TokenComparison {
  const c: TokenComparison = { queryToken, listToken, similarity: 0, note: 'missing', weight: r4(weight * alpha) };
  // The scorer keeps alphas in a Float32Array: compare in single precision.
  if (alpha === Math.fround(ALPHA_PATRONYMIC)) c.role = 'patronymic';
  else if (alpha === Math.fround(ALPHA_MIDDLE) || alpha === Math.fround(ALPHA_EXTRA_QUERY)) c.role = 'middle name';
  return c;
}

function summarize(e: MatchExplanation, score: number): string {
  const paired = e.tokens.filter((t) => t.note !== 'missing');
  const byNote = new Map<string, number>();
  for (const t of paired) byNote.set(t.note, (byNote.get(t.note) ?? 0) + 1);
  const notes = [...byNote].map(([note, count]) => `${count} ${note}`).join(', ');
  const missingCount = e.tokens.length - paired.length;
  const parts = [
    `"${e.queryName}" ~ "${e.listName}" ${score.toFixed(2)}: ${paired.length} token(s) agree (${notes || 'none'})`,
  ];
  if (missingCount > 0) parts.push(`${missingCount} unmatched`);
  const forms = [...e.legalFormsIgnored.query, ...e.legalFormsIgnored.list];
  if (forms.length > 0) parts.push(`legal forms ignored: ${[...new Set(forms)].join(', ')}`);
  for (const a of e.adjustments) parts.push(`${a.reason} ${a.delta >= 0 ? '+' : ''}${a.delta}`);
  return parts.join('; ');
}

export function explainIdentifierMatch(
  q: PreparedQuery,
  listName: string,
  queryType: string,
  listType: string,
  value: string,
): MatchExplanation {
  return {
    queryName: q.name.original,
    listName,
    normalizedQuery: q.name.normalized,
    normalizedList: prepareName(listName).normalized,
    tokens: [],
    legalFormsIgnored: { query: q.name.legalForms, list: [] },
    nameScore: 1,
    adjustments: [],
    identifier: { queryType, listType, value },
    summary: `identifier ${queryType} ${value} equals the list's ${listType} of "${listName}": decisive match 1.00`,
  };
}
