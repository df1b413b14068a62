/**
 * Fetches a source's parts over HTTP with Node's fetch (undici): conditional GET from the validators of the last
 * check, one deadline for the whole source (bodies included), and a byte cap checked while reading, so a huge or
 * endless answer is cut off instead of filling memory.
 */
import type { Validators } from './list-sources.repository';

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

export type PartResult =
  | { part: string; notModified: true; validators: Validators[string] }
  | { part: string; notModified: false; content: Buffer; validators: Validators[string] };

export class SourceFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceFetchError';
  }
}

function validatorsOf(res: Response): Validators[string] {
  const v: Validators[string] = {};
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  if (etag) v.etag = etag;
  if (lastModified) v.lastModified = lastModified;
  return v;
}

async function readCapped(res: Response, part: string, budget: { left: number }, limit: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > budget.left) {
    await res.body?.cancel();
    throw new SourceFetchError(`${part}: the answer is larger than LIST_FETCH_MAX_BYTES (${limit} bytes)`);
  }
  const chunks: Buffer[] = [];
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    budget.left -= value.byteLength;
    if (budget.left < 0) {
      await reader.cancel();
      throw new SourceFetchError(`${part}: the answer is larger than LIST_FETCH_MAX_BYTES (${limit} bytes)`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

function describe(err: unknown, part: string, timeoutMs: number): SourceFetchError {
  if (err instanceof SourceFetchError) return err;
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError')
    return new SourceFetchError(`${part}: no complete answer within ${timeoutMs} ms`);
  const cause = e.cause?.code ?? e.cause?.message;
  return new SourceFetchError(`${part}: ${e.message}${cause ? ` (${cause})` : ''}`);
}

/**
 * GETs every part (sequentially: publishers rate-limit, and the parts of one list come from one host). With
 * `conditional`, sends If-None-Match / If-Modified-Since from the validators. Throws SourceFetchError on a network
 * error, a timeout, an HTTP error status or an answer over the cap.
 */
export async function fetchParts(
  urls: Record<string, string>,
  validators: Validators,
  limits: FetchLimits,
  conditional: boolean,
): Promise<PartResult[]> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const budget = { left: limits.maxBytes };
  const results: PartResult[] = [];
  for (const [part, url] of Object.entries(urls).sort(([a], [b]) => a.localeCompare(b))) {
    const headers: Record<string, string> = { accept: '*/*', 'user-agent': 'dual-use-screening list fetcher' };
    const known = conditional ? validators[part] : undefined;
    if (known?.etag) headers['if-none-match'] = known.etag;
    if (known?.lastModified) headers['if-modified-since'] = known.lastModified;
    try {
      const res = await fetch(url, { headers, signal, redirect: 'follow' });
      if (res.status === 304) {
        await res.body?.cancel();
        results.push({ part, notModified: true, validators: known ?? {} });
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new SourceFetchError(`${part}: HTTP ${res.status} from ${new URL(url).host}`);
      }
      const content = await readCapped(res, part, budget, limits.maxBytes);
      if (content.length === 0) throw new SourceFetchError(`${part}: empty answer`);
      results.push({ part, notModified: false, content, validators: validatorsOf(res) });
    } catch (err) {
      throw describe(err, part, limits.timeoutMs);
    }
  }
  return results;
}
