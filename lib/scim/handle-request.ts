import type { Database } from '@/db';
import { decodeUriOr } from '@/lib/http/decode-uri';
import { authenticateScim, rememberedPrincipal } from './authenticate';
import { buildContext, readHeader, respond, type ScimContext, type ScimRequest, type ScimResponse } from './context';
import { resourceTypes, schemas, serviceProviderConfig } from './discovery';
import { createGroup, deleteGroup, patchGroup, replaceGroup } from './group-writes';
import { getGroup, listGroups } from './groups';
import { listParamsFromQuery, listParamsFromSearch } from './list-params';
import { errorBody, ScimError, toScimError } from './scim-error';
import { logScimRequest, toScimRequestEntry } from './request-log';
import { MAX_BODY_BYTES } from './scimmy';
import { parseSelection } from './select-attributes';
import { createUser, deleteUser, patchUser, replaceUser } from './user-writes';
import { getUser, listUsers } from './users';

export type { ScimRequest, ScimResponse } from './context';

/**
 * `/api/scim/v2/Users/abc?aadOptscim062020` → ['users', 'abc'] (resource names are matched
 * case-insensitively). A segment with a malformed percent-escape (`Users/%ZZ`) is taken as it is:
 * no resource has such an id, so it is a 404 in the token's organization (decodeURIComponent threw,
 * a 500).
 */
export function routeSegments(path: string): string[] {
  const clean = path.replace(/(\?|%3F)aadOptscim062020.*$/i, '').replace(/^\/?(api\/)?scim\/v2\/?/i, '');
  return clean.split('/').filter(Boolean).map((s, i) => (i === 0 ? s.toLowerCase() : decodeUriOr(s, s)));
}

const notAllowed = (method: string) => new ScimError(405, null, `${method} is not supported on this endpoint.`);

async function resource(ctx: ScimContext, method: string, kind: 'users' | 'groups', id: string | undefined): Promise<ScimResponse> {
  const selection = () => parseSelection(ctx.param('attributes'), ctx.param('excludedAttributes'));
  const users = kind === 'users';
  if (id === '.search') {
    if (method !== 'POST') throw notAllowed(method);
    return users ? listUsers(ctx, listParamsFromSearch(ctx)) : listGroups(ctx, listParamsFromSearch(ctx));
  }
  if (id === undefined) {
    if (method === 'GET') return users ? listUsers(ctx, listParamsFromQuery(ctx)) : listGroups(ctx, listParamsFromQuery(ctx));
    if (method === 'POST') return users ? createUser(ctx) : createGroup(ctx);
    throw notAllowed(method);
  }
  switch (method) {
    case 'GET':
      return users ? getUser(ctx, id, selection()) : getGroup(ctx, id, selection());
    case 'PUT':
      return users ? replaceUser(ctx, id) : replaceGroup(ctx, id);
    case 'PATCH':
      return users ? patchUser(ctx, id) : patchGroup(ctx, id);
    case 'DELETE':
      return users ? deleteUser(ctx, id) : deleteGroup(ctx, id);
    default:
      throw notAllowed(method);
  }
}

async function dispatch(ctx: ScimContext, method: string, segments: string[]): Promise<ScimResponse> {
  const [first, second, ...rest] = segments;
  if (rest.length > 0) throw new ScimError(404, null, 'No such SCIM endpoint');
  if (first === 'users' || first === 'groups') return resource(ctx, method, first, second);
  if (method !== 'GET') throw notAllowed(method);
  if (first === 'serviceproviderconfig' && second === undefined) return serviceProviderConfig(ctx);
  if (first === 'resourcetypes') return resourceTypes(ctx, second ?? null);
  if (first === 'schemas') return schemas(ctx, second ?? null);
  throw new ScimError(404, null, 'No such SCIM endpoint');
}

/** RETRY_AFTER_SECONDS: IdPs (Entra, Okta) retry a 503 and honour Retry-After; the database is usually back by then. */
export const RETRY_AFTER_SECONDS = 5;
function errorHeaders(status: number): Record<string, string> {
  if (status === 401) return { 'WWW-Authenticate': 'Bearer realm="SCIM"' };
  if (status === 503) return { 'Retry-After': String(RETRY_AFTER_SECONDS) };
  return {};
}

/**
 * The SCIM 2.0 service provider: authenticate the bearer token (it decides the organization),
 * route, serve. Plain inputs and outputs, no Next.js: the route at app/api/scim/v2/[...path] and the
 * tests' node:http server both call this. Every failure is an RFC 7644 error body. Each request
 * served for a token is logged in the token's organization (lib/scim/request-log.ts).
 */
export async function handleScimRequest(db: Database, request: ScimRequest): Promise<ScimResponse> {
  const at = new Date();
  const started = performance.now();
  const method = request.method.toUpperCase();
  let segments: string[] = [];
  let ctx: ScimContext | null = null;
  let verify: ScimContext['verify'] = null;
  let verified = false;
  let response: ScimResponse;
  try {
    if (request.body && Buffer.byteLength(request.body, 'utf8') > MAX_BODY_BYTES) {
      throw new ScimError(413, null, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
    }
    segments = routeSegments(request.path);
    // A User write (create, PATCH, PUT, DELETE) may plan birthright roles: its policy comes with the
    // token lookup (one round trip), or with the principal this process looked up within the minute,
    // which the write's own statement re-checks (authenticate.ts: rememberedPrincipal; user-writes.ts:
    // createUser, onLockedUser). A User list by user name (what an IdP asks before each push)
    // re-checks the token the same way (users.ts: listUsers); any other list authenticates first.
    const users = segments[0] === 'users';
    const guarded = users && (segments.length === 1 ? method === 'POST' || method === 'GET' : segments.length === 2 && (method === 'PATCH' || method === 'PUT' || method === 'DELETE'));
    const authorization = readHeader(request, 'authorization');
    const remembered = guarded ? rememberedPrincipal(db, authorization) : null;
    const principal = remembered ?? (await authenticateScim(db, authorization, { withPolicy: guarded }));
    verify = remembered
      ? async (options = {}) => {
          const checked = await authenticateScim(db, authorization, { withPolicy: options.withPolicy ?? true });
          verified = true;
          return checked;
        }
      : null;
    ctx = buildContext(db, request, principal, verify);
    response = await dispatch(ctx, method, segments);
  } catch (caught) {
    // With a remembered principal, a refusal is answered only once the token is known good (401 first):
    // nothing about a request is told to a revoked token, whatever failed first. Not when the token
    // was already checked in full for this request, nor when the database is away (503 either way).
    const first = toScimError(caught);
    const unverified = verify !== null && !verified && first.status !== 401 && first.status !== 503;
    const error = unverified ? await verify!().then(() => caught, (refused: unknown) => refused) : caught;
    const scimError = unverified ? toScimError(error) : first;
    if (scimError.status === 503) console.error(`[scim] database unavailable: ${error instanceof Error ? error.message : String(error)}`);
    else if (scimError.status >= 500) console.error('[scim] request failed', error);
    response = respond(scimError.status, errorBody(scimError), errorHeaders(scimError.status));
  }
  // Only a request whose token decided an organization is logged, in that organization (request-log.ts:
  // batched, off the request's path). A remembered token found revoked (401) decided nothing: not logged.
  // The log never fails a request that was served: an entry that cannot be made is reported and dropped.
  if (ctx && response.status !== 401) {
    try {
      logScimRequest(db, toScimRequestEntry(ctx, request, response, { method, segments, at, durationMs: performance.now() - started }));
    } catch (error) {
      console.error(`[scim] the request log could not record a request: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return response;
}
