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
