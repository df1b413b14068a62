import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEd25519PrivateKey, parseEd25519PublicKey } from '../config/ed25519-keys';

// Key parsing lives with the configuration, which validates AUDIT_SIGNING_KEY and AUDIT_TRUSTED_PUBLIC_KEYS with it.

/**
 * The text a checkpoint signature covers. Plain ASCII on one line so an auditor can rebuild it with printf and check
 * it with openssl (see the README): `dus-audit-checkpoint:v1:<seq>:<hash>:<signedAt>`.
 */
export function checkpointMessage(seq: number, hash: string, signedAt: string): string {
  return `dus-audit-checkpoint:v1:${seq}:${hash}:${signedAt}`;
}

/** Key id: the first 16 hex digits of the SHA-256 of the public key's DER (SubjectPublicKeyInfo). */
export function keyIdOf(publicKeyDer: Buffer): string {
  return createHash('sha256').update(publicKeyDer).digest('hex').slice(0, 16);
}

export interface AuditSigner {
  keyId: string;
  /** Base64 SubjectPublicKeyInfo DER. */
  publicKey: string;
  /** Where the key came from, for the start-up log line. */
  source: 'config' | 'file';
  sign(message: string): string;
}

/** Public keys whose checkpoints verification accepts, by key id. */
export interface TrustedKeys {
  has(keyId: string, publicKey: string): boolean;
  check(message: string, publicKey: string, signature: string): boolean;
}

export function signerFrom(privateKey: KeyObject, source: AuditSigner['source']): AuditSigner {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return {
    keyId: keyIdOf(der),
    publicKey: der.toString('base64'),
    source,
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

export const KEY_FILE_NAME = 'audit-signing-key.pem';

/**
 * The key in DATA_DIR, generated on first use (file mode 0600) and reused ever after, so checkpoints signed before a
 * restart still verify. The exclusive create makes two processes starting together agree on one key.
 */
export function loadOrCreateKeyFile(dataDir: string): KeyObject {
  const path = join(dataDir, KEY_FILE_NAME);
  try {
    return parseEd25519PrivateKey(readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`audit signing key ${path}: ${(err as Error).message}`);
  }
  mkdirSync(dataDir, { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  try {
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return parseEd25519PrivateKey(readFileSync(path, 'utf8'));
  }
  return privateKey;
}

/** The configured AUDIT_SIGNING_KEY, else the key file in DATA_DIR. */
export function loadAuditSigner(config: { AUDIT_SIGNING_KEY?: string; DATA_DIR: string }): AuditSigner {
  if (config.AUDIT_SIGNING_KEY) return signerFrom(parseEd25519PrivateKey(config.AUDIT_SIGNING_KEY), 'config');
  return signerFrom(loadOrCreateKeyFile(config.DATA_DIR), 'file');
}

/**
 * The signer's own key plus earlier keys (after a rotation) listed in configuration. A checkpoint is believed only if
 * its key is one of these: the public key stored next to it proves nothing, since whoever forged the row chose it.
 */
export function trustedKeys(signer: AuditSigner, extra: string[] = []): TrustedKeys {
  const keys = new Map<string, { der: string; key: KeyObject }>();
  for (const der of [signer.publicKey, ...extra]) {
    const key = parseEd25519PublicKey(der);
    const canonical = key.export({ format: 'der', type: 'spki' });
    keys.set(keyIdOf(canonical), { der: canonical.toString('base64'), key });
  }
  return {
    has: (keyId, publicKey) => keys.get(keyId)?.der === publicKey,
    check(message, publicKey, signature) {
      const entry = [...keys.values()].find((k) => k.der === publicKey);
      if (!entry) return false;
      try {
        return verify(null, Buffer.from(message, 'utf8'), entry.key, Buffer.from(signature, 'base64'));
      } catch {
        return false;
      }
    },
  };
}
