import type { Tx } from '@/db';
import { getDormancyPolicy } from '@/db/queries/dormancy-policies';
import { findDormantAccounts, type DormantGroup } from '@/db/queries/dormancy-list';
import { findLatestOrganizationRuns } from '@/db/queries/console-job-runs';
import { findRoles } from '@/db/queries/roles';
import { DORMANCY_JOB } from '@/lib/governance/dormancy/plan';
import { getSeatReportStreamed } from '@/lib/governance/seats';

/**
 * The governance pages' data (`/admin/seats`, `/admin/dormancy`), one function each like
 * page-data.ts: the pages render exactly this, and the console bench times it at 1M accounts.
 */
export const DORMANT_PAGE_SIZE = 50;

/** The page's first render (the summary); `breakdown` streams in after it, like the accounts total. */
export async function loadSeatsPage(db: Tx, organizationId: string, now: Date) {
  return getSeatReportStreamed(db, organizationId, now);
}

export async function loadDormancyPage(db: Tx, organizationId: string, input: { now: Date; group: DormantGroup; after?: string | null }) {
  const [policy, roles, latest] = await Promise.all([getDormancyPolicy(db, organizationId), findRoles(db, organizationId), findLatestOrganizationRuns(db, organizationId, [DORMANCY_JOB])]);
  const list = policy ? await findDormantAccounts(db, { organizationId, policy, now: input.now, group: input.group, limit: DORMANT_PAGE_SIZE, after: input.after ?? null }) : null;
  return { policy, roles: roles.map((r) => ({ key: r.key, name: r.name })), lastRun: latest[0] ?? null, list };
}
