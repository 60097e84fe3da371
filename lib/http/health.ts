/** What /api/health reports about the database: answering (with its latency), or not within the deadline. */
export type DatabaseHealth = { ok: true; latencyMs: number } | { ok: false; reason: 'unreachable' | 'timeout' };

/** Load balancers poll this: it answers within `timeoutMs` whatever the database does. */
export const HEALTH_TIMEOUT_MS = 2000;

export async function databaseHealth(ping: () => Promise<unknown>, timeoutMs = HEALTH_TIMEOUT_MS): Promise<DatabaseHealth> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    const outcome = await Promise.race([ping().then(() => 'ok' as const), deadline]);
    return outcome === 'ok' ? { ok: true, latencyMs: Date.now() - started } : { ok: false, reason: 'timeout' };
  } catch {
    return { ok: false, reason: 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}
