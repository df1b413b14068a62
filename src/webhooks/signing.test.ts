import { createHmac } from 'node:crypto';
import { newWebhookSecret, sign, signatureHeader, verifySignature } from './signing';

describe('webhook signing', () => {
  const secret = 'whsec_test-secret';
  const body = '{"id":"e1","type":"case.decided"}';

  it('makes 256-bit URL-safe secrets with the whsec_ prefix, never the same twice', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[\w-]{43}$/);
    expect(Buffer.from(a.slice(6), 'base64url')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it('signs `${timestamp}.${body}` with HMAC-SHA256 keyed by the whole secret, as the README says', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(sign(secret, 1700000000, body)).toBe(expected);
    expect(signatureHeader(secret, 1700000000, body)).toBe(`v1=${expected}`);
  });

  it('verifies a good signature and refuses a changed body, timestamp, secret or an old timestamp', () => {
    const header = signatureHeader(secret, 1700000000, body);
    const ok = { secret, signature: header, timestamp: '1700000000', body, nowSec: 1700000010 };
    expect(verifySignature(ok)).toBe(true);
    expect(verifySignature({ ...ok, body: body.replace('e1', 'e2') })).toBe(false);
    expect(verifySignature({ ...ok, timestamp: '1700000001' })).toBe(false);
    expect(verifySignature({ ...ok, secret: 'whsec_other' })).toBe(false);
    expect(verifySignature({ ...ok, nowSec: 1700000000 + 3600 })).toBe(false);
    expect(verifySignature({ ...ok, signature: 'v1=zz' })).toBe(false);
    expect(verifySignature({ ...ok, timestamp: 'soon' })).toBe(false);
  });

  it('accepts any of several signatures (secret rotation)', () => {
    const header = `v1=${'0'.repeat(64)} ${signatureHeader(secret, 1700000000, body)}`;
    expect(verifySignature({ secret, signature: header, timestamp: '1700000000', body, nowSec: 1700000000 })).toBe(
      true,
    );
  });
});
