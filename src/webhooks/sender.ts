import http from 'node:http';
import https from 'node:https';
import { signatureHeader } from './signing';
import { assertAllowedUrl, guardedLookup, literalAddress, parseWebhookUrl, type Resolver } from './url-guard';

export interface SendInput {
  url: string;
  eventId: string;
  body: string;
  secret: string;
  /** WEBHOOK_ALLOW_PRIVATE_URLS */
  allowPrivate: boolean;
  timeoutMs: number;
  resolve?: Resolver;
}

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

const USER_AGENT = 'dual-use-screening-webhooks/1';

/**
 * One signed POST. Never throws: a refusal, a network error, a timeout or a non-2xx answer is a failed attempt.
 * Redirects are not followed (a 3xx is a failure: following one would let a public URL bounce us to a private one).
 * The address guard runs inside the connection's DNS lookup, so the checked address is the one connected to.
 */
export async function sendWebhook(input: SendInput): Promise<SendResult> {
  let url: URL;
  try {
    url = parseWebhookUrl(input.url);
    if (!input.allowPrivate && literalAddress(url)) await assertAllowedUrl(input.url, { allowPrivate: false });
  } catch (err) {
    return { ok: false, statusCode: null, error: `refused: ${(err as Error).message}` };
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(input.body, 'utf8')),
    'User-Agent': USER_AGENT,
    'Webhook-Id': input.eventId,
    'Webhook-Timestamp': String(timestamp),
    'Webhook-Signature': signatureHeader(input.secret, timestamp, input.body),
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const settle = (result: SendResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    // One deadline for connect, request and response alike (a socket timeout only measures idleness).
    const deadline = setTimeout(() => req.destroy(new Error(`timed out after ${input.timeoutMs} ms`)), input.timeoutMs);
    const req = client.request(
      url,
      {
        method: 'POST',
        headers,
        agent: false, // a fresh connection per attempt: every attempt goes through the address guard
        ...(input.allowPrivate ? {} : { lookup: guardedLookup(input.resolve) }),
      },
      (res) => {
        const statusCode = res.statusCode ?? 0;
        settle({
          ok: statusCode >= 200 && statusCode < 300,
          statusCode,
          error: statusCode >= 200 && statusCode < 300 ? null : `HTTP ${statusCode}`,
        });
        res.on('error', () => undefined);
        res.on('close', () => clearTimeout(deadline));
        res.resume(); // the answer's body is not used; drain it so the connection can close
      },
    );
    req.on('error', (err) => {
      clearTimeout(deadline);
      settle({ ok: false, statusCode: null, error: err.message.slice(0, 500) });
    });
    req.end(input.body);
  });
}
