import { describe, expect, it } from 'vitest';
import { databaseHealth } from './health';

describe('databaseHealth', () => {
  it('reports the latency of a ping that answers, and a failed one as unreachable', async () => {
    expect(await databaseHealth(async () => 1)).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
    expect(await databaseHealth(() => Promise.reject(new Error('ECONNREFUSED')))).toEqual({ ok: false, reason: 'unreachable' });
  });

  it('answers by the deadline when the ping hangs', async () => {
    const started = Date.now();
    expect(await databaseHealth(() => new Promise(() => undefined), 100)).toEqual({ ok: false, reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
