import { sql } from 'drizzle-orm';
import type { Database } from '@/db';
import type { ReconcileSource } from '@/db/schema';
import type { Actor } from '@/lib/audit/record-event';
import type { RecordSource } from '@/lib/sources/types';
import { runReconciliation, type ReconcileOptions } from '../run';
import { createReconcileSource, type SourceInput } from '../sources';
import { memorySource, type RecordSpec } from './memory-source';

export const NOW = new Date('2026-12-01T12:00:00.000Z');
export const admin: Actor = { type: 'admin', id: 'test-admin' };

/** An HR source mapping the usual columns (what the CSV reader would be given). */
export const hrMapping = {
  columns: { 'Employee ID': 'employeeNumber', Email: 'email', Status: 'status', Department: 'department', Title: 'title', 'End date': 'endDate' },
  statuses: { active: 'active', terminated: 'inactive', leave: 'inactive' },
} as const;

export async function makeSource(db: Database, organizationId: string, input: Partial<SourceInput> = {}): Promise<ReconcileSource> {
  return createReconcileSource(db, {
    organizationId,
    actor: admin,
    source: { name: `HR ${Math.random().toString(36).slice(2, 8)}`, kind: 'csv', mapping: { columns: { ...hrMapping.columns }, statuses: { ...hrMapping.statuses } }, maxSharePercent: 100, ...input },
  });
}

export function reconcile(db: Database, source: ReconcileSource, records: RecordSpec[] | RecordSource, options: Partial<ReconcileOptions> = {}) {
  return runReconciliation(db, {
    organizationId: source.organizationId,
    source,
    records: Array.isArray(records) ? memorySource(records) : records,
    dryRun: false,
    now: NOW,
    actor: admin,
    trigger: 'cli',
    ...options,
  });
}

export async function findingsOf(db: Database, runId: string) {
  const rows = await db.execute<{ id: number; category: string; account_id: string | null; source_key: string | null; line: number | null; details: Record<string, unknown>; action: string; action_outcome: string | null; is_new: boolean; review_state: string | null }>(sql`
    select id::int, category, account_id, source_key, line, details, action, action_outcome, is_new, review_state from reconcile_findings where run_id = ${runId}::uuid order by id`);
  return [...rows];
}

export async function eventsOf(db: Database, organizationId: string, action: string) {
  const rows = await db.execute<{ target_id: string; data: Record<string, unknown>; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>(sql`
    select target_id, data, before, after from audit_events where organization_id = ${organizationId}::uuid and action = ${action} order by id`);
  return [...rows];
}

export async function statusOf(db: Database, accountId: string) {
  const [row] = await db.execute<{ status: string; department: string | null; title: string | null; live_sessions: number }>(sql`
    select status, department, title, (select count(*)::int from sessions s where s.account_id = a.id and s.revoked_at is null) as live_sessions from accounts a where id = ${accountId}::uuid`);
  return row!;
}

export async function addSession(db: Database, organizationId: string, accountId: string) {
  await db.execute(sql`insert into sessions (organization_id, account_id, expires_at) values (${organizationId}::uuid, ${accountId}::uuid, now() + interval '8 hours')`);
}

export async function stagedRowsOf(db: Database, runId: string) {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from reconcile_staged_records where run_id = ${runId}::uuid`);
  return row!.n;
}
