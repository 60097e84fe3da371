import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { authLogger, safeDetail, withErrorTrail } from './oidc-error-trail';

describe('next-auth error trail', () => {
  it('gives each of two interleaved requests only the errors logged in it (one process-wide logger)', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const request = (name: string, wait: number) =>
      withErrorTrail(async () => {
        await sleep(wait);
        authLogger.error!('OAUTH_CALLBACK_ERROR', { error: new Error(`${name} failed`), providerId: name } as never);
        await sleep(wait);
        return name;
      });
    const [a, b] = await Promise.all([request('a', 20), request('b', 5)]);
    expect(a).toEqual({ result: 'a', errors: [{ code: 'OAUTH_CALLBACK_ERROR', message: 'a failed' }] });
    expect(b).toEqual({ result: 'b', errors: [{ code: 'OAUTH_CALLBACK_ERROR', message: 'b failed' }] });
    vi.restoreAllMocks();
  });

  it('keeps no token, code, state or nonce in a detail', () => {
    const state = 'pA9x_3kLm2Qw7Zr5Tn8Yv1Bc4Df6Gh0Jk';
    expect(safeDetail(`state mismatch, expected ${state}, got: short`)).toBe('state mismatch, expected …, got: short');
    expect(safeDetail('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl')).toBe('…');
    expect(safeDetail('invalid_grant (grant request is invalid)\n\u0007')).toBe('invalid_grant (grant request is invalid)');
    expect(safeDetail('x'.repeat(500))).toBe('…');
    expect(safeDetail('y '.repeat(500))).toHaveLength(200);
  });
});
