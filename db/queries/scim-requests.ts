import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { scimRequests, scimTokens, type NewScimRequest } from '@/db/schema';
import { builtOnce } from './built-once';
import { byColumnName, columnList, preparedWrite } from './json-rows';

/** The SCIM request log (lib/scim/request-log.ts writes it a batch at a time; /admin/scim and `roster scim requests` read it). */
export async function insertScimRequests(db: Tx, rows: NewScimRequest[]): Promise<void> {
  if (rows.length === 0) return;
  await requestsInsert(db).execute({ rows: JSON.stringify(rows.map((r) => byColumnName(scimRequests, r, REQUEST_COLUMNS))) });
}

/**
 * One statement built once for any number of rows, passed as one JSON parameter (json-rows.ts):
 * drizzle assembling a 200-row multi-values insert took milliseconds of the event loop, which
 * every request arriving meanwhile waited for. `at` defaults to now() when a row has none. The rows
 * are `json`, not `jsonb`: they are read once, and building jsonb's binary form first cost PostgreSQL
 * about 2 ms more per 900 rows (15.3 against 13.0 ms of a backend's CPU, 40 batches each).
 */
const REQUEST_COLUMNS = ['organizationId', 'tokenId', 'connectionId', 'method', 'path', 'status', 'scimType', 'detail', 'resourceId', 'userName', 'durationMs', 'requestId', 'ip', 'at'] as const satisfies (keyof NewScimRequest)[];
const requestsInsert = builtOnce((db) =>
  preparedWrite(
    db,
    'scim_requests_insert',
    sql`insert into ${scimRequests} (${columnList(scimRequests, REQUEST_COLUMNS)})
      select ${columnList(scimRequests, REQUEST_COLUMNS.filter((c) => c !== 'at'), 'r.')}, coalesce(r.at, now())
      from json_populate_recordset(null::scim_requests, ${sql.placeholder('rows')}::json) with ordinality r
      order by r.ordinality
      returning 1 as one`,
  ),
);

const columns = {
  id: scimRequests.id,
  at: scimRequests.at,
  method: scimRequests.method,
  path: scimRequests.path,
  status: scimRequests.status,
  scimType: scimRequests.scimType,
  detail: scimRequests.detail,
  resourceId: scimRequests.resourceId,
  userName: scimRequests.userName,
  durationMs: scimRequests.durationMs,
  requestId: scimRequests.requestId,
  ip: scimRequests.ip,
  tokenId: scimRequests.tokenId,
  tokenName: scimTokens.name,
  tokenPrefix: scimTokens.tokenPrefix,
  connectionId: scimRequests.connectionId,
};

export type ScimRequestLogRow = Awaited<ReturnType<typeof findScimRequests>>[number];

/**
 * An organization's logged SCIM requests, newest first: `refused` only refusals (status >= 400, their
 * own partial index), `succeeded` only the rest, `all` both. With the token's name and prefix.
 */
export async function findScimRequests(db: Tx, organizationId: string, options: { outcome: 'all' | 'refused' | 'succeeded'; limit: number }) {
  const outcome = options.outcome === 'refused' ? gte(scimRequests.status, 400) : options.outcome === 'succeeded' ? lt(scimRequests.status, 400) : undefined;
  return db
    .select(columns)
    .from(scimRequests)
    .leftJoin(scimTokens, and(eq(scimTokens.id, scimRequests.tokenId), eq(scimTokens.organizationId, scimRequests.organizationId)))
    .where(and(eq(scimRequests.organizationId, organizationId), outcome))
    .orderBy(desc(scimRequests.at), desc(scimRequests.id))
    .limit(options.limit);
}

/** Rows logged before `cutoff` (every organization), for a dry run of the purge. */
export async function countScimRequestsBefore(db: Tx, cutoff: Date): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(scimRequests).where(lt(scimRequests.at, cutoff));
  return row?.n ?? 0;
}

/** Deletes up to `limit` rows logged before `cutoff` (every organization); returns how many. */
export async function deleteScimRequestsBefore(db: Tx, cutoff: Date, limit: number): Promise<number> {
  const rows = await db.execute<{ id: number }>(sql`
    delete from ${scimRequests} where ${scimRequests.id} in (
      select ${scimRequests.id} from ${scimRequests} where ${scimRequests.at} < ${cutoff.toISOString()}::timestamptz limit ${limit})
    returning ${scimRequests.id}`);
  return rows.length;
}

/** Organizations holding more than `cap` rows (logged at `since` or later, when given), with how many are past it. */
export async function findScimRequestsOverCap(db: Tx, cap: number, since?: Date): Promise<{ organizationId: string; over: number }[]> {
  const rows = await db
    .select({ organizationId: scimRequests.organizationId, n: sql<number>`count(*)::int` })
    .from(scimRequests)
    .where(since ? gte(scimRequests.at, since) : undefined)
    .groupBy(scimRequests.organizationId)
    .having(sql`count(*) > ${cap}`);
  return rows.map((r) => ({ organizationId: r.organizationId, over: r.n - cap }));
}

/** Deletes an organization's rows past its newest `keep` (by time, then id); returns how many. */
export async function deleteScimRequestsPastNewest(db: Tx, organizationId: string, keep: number): Promise<number> {
  const rows = await db.execute<{ id: number }>(sql`
    with edge as (
      select ${scimRequests.at} as at, ${scimRequests.id} as id from ${scimRequests}
      where ${scimRequests.organizationId} = ${organizationId}
      order by ${scimRequests.at} desc, ${scimRequests.id} desc offset ${keep} limit 1)
    delete from ${scimRequests} r using edge
    where r.organization_id = ${organizationId} and (r.at, r.id) <= (edge.at, edge.id)
    returning r.id`);
  return rows.length;
}
