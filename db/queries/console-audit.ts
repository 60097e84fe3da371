import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import { auditEvents as e, type ActorType } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { actorName, targetName } from './console-audit-names';
import { decodeCursor, encodeCursor, isTimestampText, pageOf, type Direction, type Position } from './console-cursor';

/**
 * The console's audit trail: newest first, keyset pages on (created_at, id) — the time every
 * index of the trail is ordered by (by organization; by action, actor or target first), id
 * breaking ties between events of one transaction — with names resolved in the same statement
 * (console-audit-names.ts).
 *
 * Free text is matched in the action, actor id, target id and the data/before/after JSON
 * (case-insensitive substring) without an index of its own: a page reads at most auditSearch.scanLimit of the
 * newest events that pass the other filters (within the time range, after the cursor) and keeps
 * those that match. When that many were read without filling the page, `scan.capped` says so and
 * nextCursor continues the search from the oldest event read: a bounded cost for each page instead
 * of a trigram index over millions of JSON documents, which every audited write would pay for.
 */
export const auditSearch = { scanLimit: 20_000 }; // about 60-100 ms of reading at most; only tests change it

export type ConsoleAuditQuery = {
  /** The actor's type (or any of several) and/or id. */
  actor?: { type?: ActorType | ActorType[]; id?: string };
  actions?: string[];
  target?: { type?: string; id?: string };
  /** created_at at `from` or later, before `to`. */
  from?: Date;
  to?: Date;
  q?: string;
  /** 1 to 200. */
  limit: number;
  /** nextCursor (older events) or prevCursor (newer) of a page of the same filter; absent: the newest page ('prev': the oldest). */
  cursor?: string | null;
  direction?: Direction;
};

export type ConsoleAuditEvent = {
  id: number;
  createdAt: Date;
  actorType: ActorType;
  actorId: string | null;
  /** The actor's name (an account's display or user name, a SCIM token's name, the CLI's OS user), null when none is known. */
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  data: Record<string, unknown> | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string | null;
  requestId: string | null;
};

export type ConsoleAuditPage = {
  rows: ConsoleAuditEvent[];
  nextCursor: string | null;
  prevCursor: string | null;
  /** With free text: whether this page stopped after reading `limit` events (older ones may match: nextCursor goes on). */
  scan: { limit: number; capped: boolean } | null;
};

const ORDER = 'audit';
const isEventId = (id: unknown) => typeof id === 'string' && /^[1-9][0-9]{0,18}$/.test(id);
const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function conditionOf(organizationId: string, query: ConsoleAuditQuery): SQL {
  for (const date of [query.from, query.to]) if (date && Number.isNaN(date.getTime())) throw new AppError('invalid_input', 'audit time range: not a date');
  return and(
    eq(e.organizationId, organizationId),
    query.actor?.type?.length ? inArray(e.actorType, ([] as ActorType[]).concat(query.actor.type)) : undefined,
    query.actor?.id !== undefined ? eq(e.actorId, query.actor.id) : undefined,
    query.actions?.length ? inArray(e.action, query.actions) : undefined,
    query.target?.type ? eq(e.targetType, query.target.type) : undefined,
    query.target?.id !== undefined ? eq(e.targetId, query.target.id) : undefined,
    query.from ? gte(e.createdAt, query.from) : undefined,
    query.to ? lt(e.createdAt, query.to) : undefined,
  )!;
}

function textMatch(q: string): SQL {
  const pattern = like(q.slice(0, 200));
  return sql`(${e.action} ilike ${pattern} or ${e.actorId} ilike ${pattern} or ${e.targetId} ilike ${pattern}
    or ${e.data}::text ilike ${pattern} or ${e.before}::text ilike ${pattern} or ${e.after}::text ilike ${pattern})`;
}

const columns = {
  id: e.id,
  createdAt: e.createdAt,
  actorType: e.actorType,
  actorId: e.actorId,
  actorName,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  targetName,
  data: e.data,
  before: e.before,
  after: e.after,
  ip: sql<string | null>`host(${e.ip})`,
  requestId: e.requestId,
  sortKey: sql<string>`${e.createdAt}::text`,
};

export async function findConsoleAuditEvents(db: Tx, organizationId: string, query: ConsoleAuditQuery, maxLimit = 200): Promise<ConsoleAuditPage> {
  const limit = Math.min(Math.max(Math.trunc(query.limit) || 1, 1), maxLimit);
  const direction = query.direction ?? 'next';
  const from = decodeCursor(query.cursor, ORDER, isTimestampText, isEventId);
  // Reading 'next' goes back in time (newest first); 'prev' forwards, reversed for display by pageOf.
  const older = direction === 'next';
  const keyset = from ? sql`(${e.createdAt}, ${e.id}) ${sql.raw(older ? '<' : '>')} (${from.key}::timestamptz, ${from.id}::bigint)` : sql`true`;
  const condition = sql`${conditionOf(organizationId, query)} and ${keyset}`;
  const dir = sql.raw(older ? 'desc' : 'asc');
  const q = query.q?.trim();
  const search = q ? await searchScan(db, condition, textMatch(q), older, limit + 1) : null;
  const ids = search ? sql`${`{${search.ids.join(',')}}`}::bigint[]` : null;
  const read = await db
    .select(columns)
    .from(e)
    .where(ids ? sql`${e.id} = any(${ids})` : sql`${e.id} in (select ${e.id} from ${e} where ${condition} order by ${e.createdAt} ${dir}, ${e.id} ${dir} limit ${sql.raw(String(limit + 1))})`)
    .orderBy(...(older ? [desc(e.createdAt), desc(e.id)] : [asc(e.createdAt), asc(e.id)]));
  const positionOf = (row: { sortKey: string; id: number }): Position => ({ key: row.sortKey, id: String(row.id) });
  const page = pageOf(read, limit, direction, from, positionOf, ORDER);
  const rows = page.rows.map(({ sortKey: _key, ...row }) => row);
  if (!search) return { ...page, rows, scan: null };
  const capped = search.scanned >= auditSearch.scanLimit && read.length <= limit && search.last !== null;
  if (!capped) return { ...page, rows, scan: { limit: auditSearch.scanLimit, capped: false } };
  // The search stopped at the last event it read, older (or newer) ones unread: go on from there.
  const onward = encodeCursor(ORDER, search.last!);
  return { rows, nextCursor: older ? onward : page.nextCursor, prevCursor: older ? page.prevCursor : onward, scan: { limit: auditSearch.scanLimit, capped } };
}

/**
 * Free text: the first scanLimit events in reading order that pass the other filters, which of
 * them match (the page's ids, up to `take`), how many were read and the last one read.
 */
async function searchScan(db: Tx, condition: SQL, match: SQL, older: boolean, take: number) {
  const [dir, back] = older ? [sql.raw('desc'), sql.raw('asc')] : [sql.raw('asc'), sql.raw('desc')];
  const [row] = await db.execute<{ n: number; ids: string | null; last_key: string | null; last_id: string | null }>(sql`
    with scanned as materialized (
      select ${e.id} as id, ${e.createdAt} as created_at, ${match} as hit from ${e} where ${condition}
      order by ${e.createdAt} ${dir}, ${e.id} ${dir} limit ${sql.raw(String(Math.trunc(auditSearch.scanLimit)))}),
    last as (select id, created_at from scanned order by created_at ${back}, id ${back} limit 1)
    select (select count(*)::int from scanned) as n,
      (select string_agg(id::text, ',') from (select id from scanned where hit order by created_at ${dir}, id ${dir} limit ${sql.raw(String(take))}) p) as ids,
      (select created_at::text from last) as last_key, (select id::text from last) as last_id`);
  const ids = row?.ids ? row.ids.split(',') : [];
  const last = row?.last_key && row.last_id ? { key: row.last_key, id: row.last_id } : null;
  return { scanned: Number(row?.n ?? 0), ids, last };
}

/**
 * Every event matching the filter (free text included: the search goes on past each scan), newest
 * first, in batches of `batchSize`: for CSV export, which never holds more than one batch.
 */
export async function* streamConsoleAuditEvents(db: Tx, organizationId: string, query: Omit<ConsoleAuditQuery, 'limit' | 'cursor' | 'direction'>, batchSize = 1000): AsyncGenerator<ConsoleAuditEvent> {
  let cursor: string | null = null;
  do {
    const page: ConsoleAuditPage = await findConsoleAuditEvents(db, organizationId, { ...query, limit: batchSize, cursor, direction: 'next' }, 10_000);
    yield* page.rows;
    cursor = page.nextCursor;
  } while (cursor);
}
