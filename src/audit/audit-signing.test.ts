import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointMessage, KEY_FILE_NAME, loadAuditSigner, signerFrom, trustedKeys } from './audit-signing';
import { parseEd25519PrivateKey } from '../config/ed25519-keys';

describe('audit signing keys', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dus-signing-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates the key once into DATA_DIR, readable by its owner only, and reuses it', () => {
    const first = loadAuditSigner({ DATA_DIR: join(dir, 'data') });
    const path = join(dir, 'data', KEY_FILE_NAME);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(first.source).toBe('file');
    const again = loadAuditSigner({ DATA_DIR: join(dir, 'data') });
    expect(again.keyId).toBe(first.keyId);
    expect(again.publicKey).toBe(first.publicKey);
    expect(readFileSync(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('prefers AUDIT_SIGNING_KEY, as PEM or base64 PKCS#8 DER, and refuses other key types', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const a = loadAuditSigner({ DATA_DIR: dir, AUDIT_SIGNING_KEY: pem });
    const b = loadAuditSigner({ DATA_DIR: dir, AUDIT_SIGNING_KEY: der });
    expect(a.keyId).toBe(b.keyId);
    expect(a.source).toBe('config');
    expect(a.keyId).toMatch(/^[0-9a-f]{16}$/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    expect(() => parseEd25519PrivateKey(rsa)).toThrow(/Ed25519/);
  });

  it('names the file when the key file is unreadable as a key', () => {
    writeFileSync(join(dir, KEY_FILE_NAME), 'garbage', { mode: 0o600 });
    expect(() => loadAuditSigner({ DATA_DIR: dir })).toThrow(KEY_FILE_NAME);
  });

  it('trusts signatures by its own and listed keys only', () => {
    const own = signerFrom(generateKeyPairSync('ed25519').privateKey, 'config');
    const old = signerFrom(generateKeyPairSync('ed25519').privateKey, 'config');
    const stranger = signerFrom(generateKeyPairSync('ed25519').privateKey, 'config');
    const msg = checkpointMessage(7, 'a'.repeat(64), '2026-01-01T00:00:00.000Z');
    const keys = trustedKeys(own, [old.publicKey]);
    expect(keys.check(msg, own.publicKey, own.sign(msg))).toBe(true);
    expect(keys.check(msg, old.publicKey, old.sign(msg))).toBe(true);
    expect(keys.has(stranger.keyId, stranger.publicKey)).toBe(false);
    expect(keys.check(msg, stranger.publicKey, stranger.sign(msg))).toBe(false);
    expect(keys.check(msg.replace(':7:', ':8:'), own.publicKey, own.sign(msg))).toBe(false);
    expect(keys.check(msg, own.publicKey, 'not base64 at all')).toBe(false);
  });
});
