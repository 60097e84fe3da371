import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db';
import type { JobInput } from '@/lib/jobs/types';
import { makeAccount } from '@/lib/testing/fixtures';
import { setDormancyPolicy, type DormancyPolicyInput } from '../policy';
import { runDormancySweep, type SweepOptions } from '../sweep';

export const DAY = 86_400_000;
export const NOW = new Date('2026-12-01T12:00:00.000Z');
export const ago = (days: number, ms = 0, from = NOW) => new Date(from.getTime() - days * DAY - ms);
export const system = { type: 'system' as const, id: 'dormancy' };

export const basePolicy: DormancyPolicyInput = { dormantAfterDays: 60, suspendAfterDays: 90, deprovisionAfterDays: 30, neverSignedInAfterDays: 45, maxSharePercent: 100 };

export async function withPolicy(db: Database, organizationId: string, policy: Partial<DormancyPolicyInput> = {}) {
  return setDormancyPolicy(db, { organizationId, policy: { ...basePolicy, ...policy }, actor: { type: 'admin', id: 'test-admin' } });
}

/** An account with its dormancy times set directly (test setup, not a lifecycle change). */
export async function dormantAccount(
  db: Database,
  organizationId: string,
  times: { lastActivityAt?: Date | null; createdAt?: Date; warnedAt?: Date | null; suspendedAt?: Date | null; status?: 'active' | 'suspended'; exempt?: boolean; userName?: string } = {},
) {
  const account = await makeAccount(db, organizationId, { userName: times.userName });
  const at = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  await db.execute(sql`update accounts set last_activity_at = ${at(times.lastActivityAt)}::timestamptz, created_at = ${at(times.createdAt ?? ago(400))}::timestamptz,
    dormancy_warned_at = ${at(times.warnedAt)}::timestamptz, dormancy_suspended_at = ${at(times.suspendedAt)}::timestamptz,
    status = ${times.status ?? 'active'}::account_status, dormancy_exempt = ${times.exempt ?? false}
    where id = ${account.id}::uuid`);
  return account;
}

export async function addSession(db: Database, organizationId: string, accountId: string) {
  const [row] = await db.execute<{ id: string }>(sql`insert into sessions (organization_id, account_id, expires_at) values (${organizationId}::uuid, ${accountId}::uuid, now() + interval '8 hours') returning id`);
  return row!.id;
}

export function sweep(db: Database, organizationId: string, input: Partial<JobInput> = {}, options: SweepOptions = {}) {
  return runDormancySweep({ db, organizationId, now: NOW, dryRun: false, runId: randomUUID(), actor: system, confirmed: null, ...input }, options);
}

export async function accountState(db: Database, id: string) {
  const [row] = await db.execute<{ status: string; dormancy_warned_at: string | null; dormancy_suspended_at: string | null; last_activity_at: string | null; live_sessions: number }>(sql`
    select status, dormancy_warned_at, dormancy_suspended_at, last_activity_at,
      (select count(*)::int from sessions s where s.account_id = a.id and s.revoked_at is null) as live_sessions
    from accounts a where id = ${id}::uuid`);
  return row!;
}

export async function eventsOf(db: Database, organizationId: string, action: string) {
  return db.execute<{ target_id: string; data: Record<string, unknown>; actor_type: string }>(sql`
    select target_id, data, actor_type from audit_events where organization_id = ${organizationId}::uuid and action = ${action} order by id`);
}
