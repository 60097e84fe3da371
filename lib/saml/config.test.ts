import { beforeAll, describe, expect, it } from 'vitest';
import { readSamlConfig } from './config';
import { generateSigningKey, type SigningKey } from './testing/keys';

let current: SigningKey;
let next: SigningKey;
let weak: SigningKey;

beforeAll(async () => {
  [current, next, weak] = await Promise.all([generateSigningKey(), generateSigningKey(), generateSigningKey({ bits: 1024 })]);
});

const stored = (certificates: string[], extra: Record<string, unknown> = {}) => ({
  idpEntityId: 'https://idp.example.test',
  ssoUrl: 'https://idp.example.test/sso',
  certificates,
  ...extra,
});
const body = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '');

describe('readSamlConfig (kept per stored content)', () => {
  it('reads the same content to the same configuration, defaults filled in', () => {
    const first = readSamlConfig(stored([current.certificate]));
    const again = readSamlConfig(stored([current.certificate]));
    expect(again).toEqual(first);
    expect(first).toMatchObject({ wantAssertionsSigned: true, allowSha1: false, clockSkewSeconds: 120 });
  });

  it('sees an update at once: a rolled-over certificate, a changed setting', () => {
    expect(readSamlConfig(stored([current.certificate]))?.certificates.map(body)).toEqual([body(current.certificate)]);
    expect(readSamlConfig(stored([next.certificate]))?.certificates.map(body)).toEqual([body(next.certificate)]);
    expect(readSamlConfig(stored([next.certificate], { allowIdpInitiated: true }))?.allowIdpInitiated).toBe(true);
    expect(readSamlConfig(stored([next.certificate]))?.allowIdpInitiated).toBe(false);
  });

  it('still refuses what is invalid, every time', () => {
    expect(readSamlConfig(stored([weak.certificate]))).toBeNull();
    expect(readSamlConfig(stored([weak.certificate]))).toBeNull();
    expect(readSamlConfig(undefined)).toBeNull();
    expect(readSamlConfig(null)).toBeNull();
    expect(readSamlConfig(stored([]))).toBeNull();
  });

  it('gives each caller its own copy: changing one changes no later read', () => {
    const mine = readSamlConfig(stored([current.certificate]))!;
    mine.idpEntityId = 'https://attacker.test';
    mine.certificates.push(next.certificate);
    const theirs = readSamlConfig(stored([current.certificate]))!;
    expect(theirs.idpEntityId).toBe('https://idp.example.test');
    expect(theirs.certificates).toHaveLength(1);
  });

  it('stays bounded: a flood of distinct contents evicts, and entries are read again correctly', () => {
    for (let i = 0; i < 300; i++) readSamlConfig(stored([current.certificate], { clockSkewSeconds: i }));
    expect(readSamlConfig(stored([current.certificate], { clockSkewSeconds: 0 }))?.clockSkewSeconds).toBe(0);
    expect(readSamlConfig(stored([current.certificate], { clockSkewSeconds: 299 }))?.clockSkewSeconds).toBe(299);
  });
});
