import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/** Parsing of the audit checkpoint keys, here because the configuration validates AUDIT_SIGNING_KEY with it. */

/** A PEM text or base64 of PKCS#8 DER; throws unless it is an Ed25519 private key. */
export function parseEd25519PrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.includes('-----BEGIN')
    ? createPrivateKey(trimmed)
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`expected an Ed25519 private key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}

/** Base64 of SubjectPublicKeyInfo DER; throws unless it is an Ed25519 public key. */
export function parseEd25519PublicKey(base64Der: string): KeyObject {
  const key = createPublicKey({ key: Buffer.from(base64Der.trim(), 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`expected an Ed25519 public key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}
