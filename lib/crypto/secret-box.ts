import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets stored in the database (IdP client secrets).
 * Format: v1.<iv>.<tag>.<ciphertext>, base64url parts. The key is ROSTER_ENCRYPTION_KEY (32 bytes, base64).
 */
export function encryptSecret(plaintext: string, keyBase64: string): string {
  const key = toKey(keyBase64);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export function decryptSecret(sealed: string, keyBase64: string): string {
  const parts = sealed.split('.');
  const [version, iv, tag, data] = parts;
  if (parts.length !== 4 || version !== 'v1' || !iv || !tag || data === undefined) throw new Error('Unrecognised encrypted secret format.');
  // A fixed tag length: otherwise GCM accepts a tag truncated to 4 bytes, which makes forgery cheap.
  const decipher = createDecipheriv('aes-256-gcm', toKey(keyBase64), Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

function toKey(keyBase64: string): Buffer {
  const key = Buffer.from(keyBase64, 'base64');
  if (key.length !== 32) throw new Error('ROSTER_ENCRYPTION_KEY must be 32 bytes, base64-encoded.');
  return key;
}
