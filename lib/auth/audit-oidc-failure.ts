import { getDb } from '@/db';
import { getConnectionById } from '@/db/queries/connections';
import type { LoginRefusalReason } from '@/lib/jit/login-refusal';
import type { LoginContext } from '@/lib/jit/provision-user';
import { recordLoginRefusal } from '@/lib/lifecycle/login/record-refusal';
import { safeDetail, withErrorTrail, type LoggedError } from './oidc-error-trail';

export type OidcRequest = { action?: string; providerId?: string; method: string; url: URL; context: LoginContext };

const ERROR_PAGE = '/login/error';

/**
 * OIDC sign-ins that next-auth fails on its own, before Roster's JIT sees an identity: the IdP
 * answered with an error (access_denied…), the state, nonce or PKCE check failed, the code
 * exchange or the ID token's validation failed, the authorization request could not be built, or
 * the callback names no enabled OIDC connection. next-auth answers those with a redirect to its
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
  return toErrorPage(response, `${ERROR_PAGE}?reason=${refusal}`);
}

type Failure = { reason: LoginRefusalReason; detail: string };

async function failureOf(response: Response, request: OidcRequest, errors: LoggedError[]): Promise<Failure | null> {
  const target = await redirectTarget(response);
  if (target === null) {
    // next-auth answers 400 to a callback for a provider it was not given: no enabled OIDC connection has that ID.
    return request.action === 'callback' && response.status === 400 ? { reason: 'unknown_connection', detail: 'no enabled OIDC connection has this ID' } : null;
  }
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
  await recordLoginRefusal(
    db,
    { organizationId: connection?.organizationId ?? null, reason, detail, connectionId: connectionId.slice(0, 100), protocol: 'oidc', subject: null },
    { actor: { type: 'user', id: null, ip: context.ip, requestId: context.requestId } },
  );
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
  return new Response(null, { status: 302, headers });
}
