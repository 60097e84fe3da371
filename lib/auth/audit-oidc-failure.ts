import { getDb } from '@/db';
import { getConnectionById } from '@/db/queries/connections';
import { refusalUrl } from '@/lib/http/refusal';
import type { LoginRefusalReason } from '@/lib/jit/login-refusal';
import type { LoginContext } from '@/lib/jit/provision-user';
import { inTransaction } from '@/lib/lifecycle/context';
import { recordLoginRefusal } from '@/lib/lifecycle/login/record-refusal';
import { safeDetail, withErrorTrail, type LoggedError } from './oidc-error-trail';

export type OidcRequest = { action?: string; providerId?: string; method: string; url: URL; baseUrl: string; context: LoginContext };

/**
 * OIDC sign-ins that next-auth fails on its own, before Roster's JIT sees an identity: the IdP
 * answered with an error (access_denied…), the state, nonce or PKCE check failed, the code
 * exchange or the ID token's validation failed, or the authorization request could not be built
 * (a callback naming no enabled OIDC connection: refuseUnknownProvider). next-auth answers those with a redirect to its
 * error page (`?error=OAuthCallback`, …, which lands on the plain sign-in page). Each is recorded
 * as login.rejected in the organization of the connection in the URL (recordLoginRefusal) with a
 * detail that never holds a token or code, and the person is sent to Roster's error page with that
 * reason instead. Everything happens within the request itself, before its response goes out.
 * Refusals of a verified identity (JIT, domain, status…) are provision-user's, already recorded.
 */
export async function auditOidcFailure(request: OidcRequest, run: () => Promise<Response>): Promise<Response> {
  const { action, providerId } = request;
  const watched = providerId && (action === 'callback' || (action === 'signin' && request.method === 'POST'));
  if (!watched) return run();
  const { result: response, errors } = await withErrorTrail(run);
  const failure = await failureOf(response, request, errors);
  if (!failure) return response;
  const refusal = await recordOidcRefusal(providerId, failure, request.context);
  return toErrorPage(response, refusalUrl(request.baseUrl, refusal).toString());
}

/** The refusal for a sign-in or callback naming no enabled OIDC connection; a callback (an answer arriving) is recorded. */
export async function refuseUnknownProvider(action: string | undefined, providerId: string, context: LoginContext): Promise<LoginRefusalReason> {
  if (action !== 'callback') return 'unknown_connection';
  return recordOidcRefusal(providerId, { reason: 'unknown_connection', detail: 'no enabled OIDC connection has this ID' }, context);
}

type Failure = { reason: LoginRefusalReason; detail: string };

async function failureOf(response: Response, request: OidcRequest, errors: LoggedError[]): Promise<Failure | null> {
  const target = await redirectTarget(response);
  if (target === null) return null;
  const url = new URL(target, request.url);
  const error = url.searchParams.get('error');
  if (!error || url.searchParams.has('reason') || !/\/(api\/auth|login)\/error$/.test(url.pathname)) return null;
  const idpError = request.action === 'callback' ? request.url.searchParams.get('error') : null;
  if (idpError) {
    const description = request.url.searchParams.get('error_description');
    return { reason: 'oidc_error', detail: safeDetail(`the IdP answered error=${idpError}${description ? `: ${description}` : ''}`) };
  }
  const cause = errors.map((e) => e.message).find(Boolean);
  return { reason: 'protocol_error', detail: safeDetail(`${error}${cause ? `: ${cause}` : ''}`) };
}

/** Where the response sends the browser: its Location, or the `url` of next-auth's JSON answer to a sign-in started by fetch. */
async function redirectTarget(response: Response): Promise<string | null> {
  const location = response.headers.get('location');
  if (location) return location;
  if (!response.headers.get('content-type')?.includes('application/json')) return null;
  const body = (await response.clone().json().catch(() => null)) as { url?: unknown } | null;
  return typeof body?.url === 'string' ? body.url : null;
}

/**
 * Records one refused OIDC sign-in in the organization of the connection named, and says what was
 * refused: a connection that is not an enabled OIDC one is refused as such, whatever went wrong after.
 */
export async function recordOidcRefusal(connectionId: string, failure: Failure, context: LoginContext): Promise<LoginRefusalReason> {
  const db = getDb();
  const connection = await getConnectionById(db, connectionId);
  let { reason, detail } = failure;
  if (!connection || connection.protocol !== 'oidc') [reason, detail] = ['unknown_connection', 'no OIDC connection has this ID'];
  else if (!connection.enabled) [reason, detail] = ['connection_disabled', 'the connection is turned off'];
  const refusal = { organizationId: connection?.organizationId ?? null, reason, detail, connectionId: connectionId.slice(0, 100), protocol: 'oidc' as const, subject: null };
  const actor = { type: 'user' as const, id: null, ip: context.ip, requestId: context.requestId };
  await inTransaction(db, { actor }, async (tx, ctx) => recordLoginRefusal(tx, refusal, ctx));
  return reason;
}

/** next-auth's response, sent to Roster's error page instead: its cookies (clearing state, nonce, PKCE) still go out. */
function toErrorPage(response: Response, target: string): Response {
  const headers = new Headers(response.headers);
  if (response.headers.get('content-type')?.includes('application/json') && !response.headers.get('location')) {
    return new Response(JSON.stringify({ url: target }), { status: response.status, headers });
  }
  headers.set('location', target);
  headers.set('cache-control', 'no-store');
  return new Response(null, { status: 303, headers });
}
