import { isDatabaseUnavailable } from '@/lib/errors';
import type { LoginRefusalReason } from '@/lib/jit/login-refusal';

/** The refusal page of a sign-in, with only its reason code (the page says the rest). */
export function refusalUrl(baseUrl: string, reason: LoginRefusalReason): URL {
  return new URL(`/login/error?reason=${reason}`, baseUrl);
}

/**
 * Sends a person to the refusal page: a 303 redirect, or — for next-auth's form posts made by
 * fetch with `json=true` (components/auth/sso-redirect.tsx) — next-auth's own `{ url }` answer,
 * which the page then follows.
 */
export async function refusalResponse(request: Request, baseUrl: string, reason: LoginRefusalReason): Promise<Response> {
  const url = refusalUrl(baseUrl, reason);
  const headers = { 'cache-control': 'no-store' };
  if (request.method === 'POST' && (await wantsJson(request))) return Response.json({ url: url.toString() }, { headers });
  return new Response(null, { status: 303, headers: { ...headers, location: url.toString() } });
}

async function wantsJson(request: Request): Promise<boolean> {
  if (!request.headers.get('content-type')?.includes('application/x-www-form-urlencoded')) return false;
  try {
    return new URLSearchParams(await request.clone().text()).get('json') === 'true';
  } catch {
    return false;
  }
}

/**
 * A sign-in route's answer; while the database is away, `refuse()` instead of a 500 — the refusal
 * page with reason `unavailable` (refusalUrl / refusalResponse).
 */
export async function refuseWhenUnavailable<T>(handle: () => Promise<T>, refuse: () => T | Promise<T>): Promise<T> {
  try {
    return await handle();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    console.error(`[sign-in] database unavailable: ${describeFailure(error)}`);
    return refuse();
  }
}

/** The error and what caused it (drizzle wraps the driver's error, whose code says why: CONNECT_TIMEOUT, 53300…). */
function describeFailure(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: unknown; code?: unknown; cause?: unknown } | null | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    const message = typeof e.message === 'string' ? (e.message.split('\n')[0] ?? '') : String(e);
    parts.push(typeof e.code === 'string' ? `${message} [${e.code}]` : message);
  }
  return parts.join(' <- ');
}
