import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from './secret-box';

const key = randomBytes(32).toString('base64');
const otherKey = randomBytes(32).toString('base64');

/** Applies `change` to one base64url part of a sealed secret (0 version, 1 iv, 2 tag, 3 ciphertext). */
function alter(sealed: string, part: number, change: (bytes: Buffer) => Buffer): string {
  const parts = sealed.split('.');
  parts[part] = change(Buffer.from(parts[part]!, 'base64url')).toString('base64url');
  return parts.join('.');
}
const flipFirstByte = (bytes: Buffer) => {
  const copy = Buffer.from(bytes);
  copy[0] = copy[0]! ^ 0x01;
  return copy;
};

describe('secret box', () => {
  it.each(['', 'hunter2', 'client-secret with spaces and = signs', '🔑 sécret ünïcode', 'x'.repeat(10_000)])('round-trips %j', (plaintext) => {
    const sealed = encryptSecret(plaintext, key);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]*$/);
    if (plaintext) expect(sealed).not.toContain(plaintext);
    expect(decryptSecret(sealed, key)).toBe(plaintext);
  });

  it('seals the same secret differently each time (random IV)', () => {
    const a = encryptSecret('same', key);
    const b = encryptSecret('same', key);
    expect(a).not.toBe(b);
    expect([decryptSecret(a, key), decryptSecret(b, key)]).toEqual(['same', 'same']);
  });

  const sealed = encryptSecret('top secret value', key);
  it.each<[string, string]>([
    ['a flipped ciphertext bit', alter(sealed, 3, flipFirstByte)],
    ['a flipped IV bit', alter(sealed, 1, flipFirstByte)],
    ['a flipped tag bit', alter(sealed, 2, flipFirstByte)],
    ['a truncated tag', alter(sealed, 2, (tag) => tag.subarray(0, 4))],
    ['an empty tag', alter(sealed, 2, () => Buffer.alloc(0))],
    ['a truncated ciphertext', alter(sealed, 3, (data) => data.subarray(1))],
    ['an appended ciphertext byte', alter(sealed, 3, (data) => Buffer.concat([data, Buffer.from([0])]))],
    ['swapped IV and tag', sealed.split('.').map((p, i, all) => (i === 1 ? all[2] : i === 2 ? all[1] : p)).join('.')],
    ['another version', sealed.replace(/^v1\./, 'v2.')],
    ['a missing part', sealed.split('.').slice(0, 3).join('.')],
    ['an extra part', `${sealed}.AAAA`],
    ['plaintext', 'top secret value'],
  ])('refuses %s', (_label, tampered) => {
    expect(() => decryptSecret(tampered, key)).toThrow();
  });

  it('refuses another key', () => {
    expect(() => decryptSecret(sealed, otherKey)).toThrow();
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(33).toString('base64')],
    ['empty', ''],
  ])('refuses a key that is %s, naming ROSTER_ENCRYPTION_KEY', (_label, badKey) => {
    expect(() => encryptSecret('x', badKey)).toThrow(/ROSTER_ENCRYPTION_KEY must be 32 bytes/);
    expect(() => decryptSecret(sealed, badKey)).toThrow(/ROSTER_ENCRYPTION_KEY must be 32 bytes/);
  });
});
