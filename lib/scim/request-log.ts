import type { Database } from '@/db';
import { insertScimRequests } from '@/db/queries/scim-requests';
import type { NewScimRequest } from '@/db/schema';
import { pgError } from '@/lib/errors';
import { cutText, storableText } from '@/lib/model/storable-text';
import type { ScimContext, ScimRequest, ScimResponse } from './context';

/**
 * The SCIM request log (scim_requests): every authenticated request with its outcome, so an admin
 * sees why the IdP reports an error (/admin/scim). SCIM write speed matters, so logging adds no
 * round trip to a request: entries are kept in this process and written with one multi-row insert
 * every FLUSH_EVERY_MS or FLUSH_AT entries, whichever comes first. Each batch's insert competes with
 * the requests served meanwhile (PostgreSQL's CPU, the commit), so batches are a second apart: at
 * 100 ms, the user-name lookup's p99 over HTTP was 2.7–3.3 ms, at 1 s 2.3–3.2 ms (100k users, c1).
 * A row shows up in /admin/scim within about a second; the production server writes what waits
 * before it stops (lib/http/app-server.ts, stopAppServer). Logging never throws into a
 * request; a failed write is reported on stderr and its entries are dropped (the log is a
 * diagnostic, not the audit trail). At most KEEP_AT_MOST entries wait (the database being down).
 */
export const FLUSH_EVERY_MS = 1000;
export const FLUSH_AT = 1000;
const KEEP_AT_MOST = 10_000;
const DETAIL_MAX = 500;
const FILTER_MAX = 500;
const PATH_MAX = 1000;
const NAME_MAX = 256;
/** The query parameters kept in the logged path: those of a list. Nothing else of the query is kept. */
const KEPT_PARAMS = ['filter', 'startIndex', 'count', 'attributes', 'excludedAttributes', 'sortBy', 'sortOrder', 'aadOptscim062020'];

export type ScimRequestEntry = Omit<NewScimRequest, 'id'>;

const waiting = new Map<Database, ScimRequestEntry[]>();
let waitingCount = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
const writing = new Set<Promise<void>>();

/** Keeps one entry for the next batch (never throws, never waits). */
export function logScimRequest(db: Database, entry: ScimRequestEntry): void {
  if (waitingCount >= KEEP_AT_MOST) return;
  let entries = waiting.get(db);
  if (!entries) waiting.set(db, (entries = []));
  entries.push(entry);
  waitingCount += 1;
  if (waitingCount >= FLUSH_AT) void flushScimRequestLog();
  else if (!timer) {
    timer = setTimeout(() => void flushScimRequestLog(), FLUSH_EVERY_MS);
    timer.unref?.();
  }
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One insert per FLUSH_AT entries. An organization deleted meanwhile fails its batch's foreign key,
 * and a value PostgreSQL refuses (a data exception, SQLSTATE class 22: none is known to reach here,
 * see `cap`) fails it too: then that batch is written row by row, so only the entries at fault are
 * lost, never another organization's.
 */
async function write(db: Database, entries: ScimRequestEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += FLUSH_AT) {
    const batch = entries.slice(i, i + FLUSH_AT);
    try {
      await insertScimRequests(db, batch);
    } catch (error) {
      const code = pgError(error)?.code;
      if ((code !== '23503' && !code?.startsWith('22')) || batch.length === 1) {
        console.error(`[scim] the request log could not write ${batch.length} entries: ${reason(error)}`);
        continue;
      }
      const lost = (await Promise.all(batch.map((row) => insertScimRequests(db, [row]).then(() => 0, () => 1)))).reduce<number>((n, x) => n + x, 0);
      console.error(`[scim] the request log could not write ${lost} of ${batch.length} entries: ${code === '23503' ? 'their organization is gone' : 'a value was refused'} (${reason(error)})`);
    }
  }
}

/** Writes every waiting entry, and waits for the writes already under way (tests; shutdown). Never throws. */
export async function flushScimRequestLog(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const batches = [...waiting.entries()];
  waiting.clear();
  waitingCount = 0;
  if (batches.length) {
    const run = Promise.all(batches.map(([db, entries]) => write(db, entries))).then(() => undefined);
    writing.add(run);
    void run.finally(() => writing.delete(run));
  }
  await Promise.all([...writing]);
}

/**
 * Capped, and storable (storable-text.ts): a U+0000 or a lone surrogate arrives in a request (a
 * filter, an id in the path, an escaped JSON string) and comes back in an error's detail; both
 * become U+FFFD, and a cap never splits a surrogate pair. Left in, one such row failed its whole batch.
 */
const cap = (text: string, max: number) => {
  const clean = storableText(text);
  return clean.length > max ? `${cutText(clean, max - 1)}…` : clean;
};
const stringOf = (value: unknown, max: number) => (typeof value === 'string' && value !== '' ? cap(value, max) : null);

/** The path below the SCIM base URL with the list parameters only (no other query text: it could hold anything). */
export function loggedPath(request: ScimRequest, param: (name: string) => string | null): string {
  const below = request.path.replace(/(\?|%3F).*$/i, '').replace(/^\/?(api\/)?scim\/v2/i, '');
  const kept = KEPT_PARAMS.flatMap((name) => {
    const value = param(name);
    if (value === null) return [];
    if (value === '') return [name];
    return [`${name}=${encodeURIComponent(name === 'filter' ? cap(value, FILTER_MAX) : cap(value, 100))}`];
  });
  return cap(`${below.startsWith('/') ? below : `/${below}`}${kept.length ? `?${kept.join('&')}` : ''}`, PATH_MAX);
}

/** The body's userName, when the request already parsed as JSON (never parses anything itself for this). */
function requestUserName(ctx: ScimContext): string | null {
  try {
    const body = ctx.json();
    return body && typeof body === 'object' && 'userName' in body ? stringOf(body.userName, NAME_MAX) : null;
  } catch {
    return null;
  }
}

/** The log entry of a request served for an authenticated principal (ctx). */
export function toScimRequestEntry(
  ctx: ScimContext,
  request: ScimRequest,
  response: ScimResponse,
  served: { method: string; segments: string[]; at: Date; durationMs: number },
): ScimRequestEntry {
  const [resource, id] = served.segments;
  const users = resource === 'users';
  const body = response.body ?? {};
  const refused = response.status >= 400;
  const writesUser = users && (served.method === 'POST' || served.method === 'PUT') && id !== '.search' && Boolean(request.body?.trim());
  return {
    organizationId: ctx.principal.organizationId,
    tokenId: ctx.principal.tokenId,
    connectionId: ctx.principal.connectionId,
    method: storableText(served.method).slice(0, 16),
    path: loggedPath(request, ctx.param),
    status: response.status,
    scimType: refused ? stringOf(body.scimType, 64) : null,
    detail: refused ? stringOf(body.detail, DETAIL_MAX) : null,
    resourceId: (resource === 'users' || resource === 'groups') && id && id !== '.search' ? cap(id, NAME_MAX) : refused ? null : stringOf(body.id, NAME_MAX),
    userName: users ? (stringOf(body.userName, NAME_MAX) ?? (writesUser ? requestUserName(ctx) : null)) : null,
    durationMs: Math.max(0, Math.round(served.durationMs)),
    requestId: ctx.actor.requestId ? storableText(ctx.actor.requestId) : null,
    ip: ctx.actor.ip ?? null,
    at: served.at,
  };
}
