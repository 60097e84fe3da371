import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import { auditDailyCounts, auditEvents } from '@/db/schema';
import { builtOnce } from './built-once';

/**
 * Audit events per UTC day for the console's activity charts: sign-ins (login.succeeded), JIT
 * joins (account.jit_created) and everything SCIM did (actor scim), over the `days` days ending
 * with today (the page shows them in the viewer's time zone).
 *
 * Each day is a few index-only range counts (audit_events by action or actor type, then time), so
 * a day costs its own events only. A day that is over is counted once and kept in
 * audit_daily_counts (the trail is append-only: its count cannot change); the current day, and
 * the one before it for an hour after midnight (a transaction that began before midnight may still
 * be writing events dated then), are counted on every call. One statement either way.
 */
export type ActivityDay = { day: string; signIns: number; jitJoins: number; scimEvents: number };

const GRACE_MS = 60 * 60 * 1000;
const DAY_MS = 86_400_000;
const utcDay = (at: Date) => at.toISOString().slice(0, 10);

export async function getActivityByDay(db: Tx, organizationId: string, now: Date, days = 30): Promise<ActivityDay[]> {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const first = utcDay(new Date(today.getTime() - (days - 1) * DAY_MS));
  // The last day that is over (its end at least GRACE_MS ago), and the first counted live.
  const lastClosed = utcDay(new Date(now.getTime() - GRACE_MS - DAY_MS));
  const rows = await activity(db).execute({ organizationId, first, lastClosed, last: utcDay(today) });
  const byDay = new Map<string, ActivityDay>();
  for (let i = 0; i < days; i++) {
    const day = utcDay(new Date(today.getTime() - (days - 1 - i) * DAY_MS));
    byDay.set(day, { day, signIns: 0, jitJoins: 0, scimEvents: 0 });
  }
  for (const row of rows) {
    const entry = byDay.get(row.day);
    if (!entry) continue;
    if (row.metric === 'sign_ins') entry.signIns = row.events;
    if (row.metric === 'jit_joins') entry.jitJoins = row.events;
    if (row.metric === 'scim_events') entry.scimEvents = row.events;
  }
  return [...byDay.values()];
}

/** The three counts of one UTC day (`day`: a date in SQL), each an index-only range count. */
function countsOf(day: SQL) {
  const within = sql`a.organization_id = ${sql.placeholder('organizationId')}::uuid
    and a.created_at >= (${day})::timestamp at time zone 'UTC' and a.created_at < ((${day}) + 1)::timestamp at time zone 'UTC'`;
  return sql`
    select 'sign_ins' as metric, (select count(*)::int from ${auditEvents} a where ${within} and a.action = 'login.succeeded') as events
    union all select 'jit_joins', (select count(*)::int from ${auditEvents} a where ${within} and a.action = 'account.jit_created')
    union all select 'scim_events', (select count(*)::int from ${auditEvents} a where ${within} and a.actor_type = 'scim')`;
}

const row = { metric: sql<string>`metric`, day: sql<string>`day`, events: sql<number>`events` };

const activity = builtOnce((db) => {
  const p = (name: string) => sql.placeholder(name);
  const org = sql`${p('organizationId')}::uuid`;
  const cached = sql`select metric, to_char(day, 'YYYY-MM-DD') as day, events from ${auditDailyCounts}
    where organization_id = ${org} and day between ${p('first')}::date and ${p('lastClosed')}::date`;
  return db
    .with(
      db.$with('cached', row).as(sql`${cached}`),
      db.$with('missing', { day: sql<string>`day` }).as(sql`select d::date as day from generate_series(${p('first')}::date, ${p('lastClosed')}::date, interval '1 day') d
        where (select count(*) from cached c where c.day = to_char(d, 'YYYY-MM-DD')) < 3`),
      db.$with('computed', row).as(sql`select m.day, x.metric, x.events from missing m cross join lateral (${countsOf(sql`m.day`)}) x`),
      db.$with('stored', { one: sql<number>`one` }).as(sql`insert into ${auditDailyCounts} (organization_id, metric, day, events)
        select ${org}, metric, day, events from computed on conflict do nothing returning 1 as one`),
      db.$with('live', row).as(sql`select d::date as day, x.metric, x.events
        from generate_series(greatest(${p('first')}::date, ${p('lastClosed')}::date + 1), ${p('last')}::date, interval '1 day') d
        cross join lateral (${countsOf(sql`d::date`)}) x`),
    )
    .select(row)
    .from(
      sql`(select metric, day, events from cached
        union all select metric, to_char(day, 'YYYY-MM-DD'), events from computed
        union all select metric, to_char(day, 'YYYY-MM-DD'), events from live) all_days`,
    )
    .prepare('console_activity_by_day');
});
