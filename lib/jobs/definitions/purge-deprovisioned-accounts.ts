import { purgeDeprovisionedAccounts } from '@/lib/lifecycle/account/purge-deprovisioned';
import type { JobDefinition, PlannedAction } from '../types';

const DAY_MS = 86_400_000;

/**
 * Housekeeping: the personal data of deprovisioned accounts, in the organizations whose setting
 * `purgeDeprovisionedAfterDays` asks for it, once that many days have passed since deprovisioning.
 * Deployment-wide (one set-based statement reads each organization's setting).
 */
export const purgeDeprovisionedAccountsJob: JobDefinition = {
  name: 'purge-deprovisioned-accounts',
  summary: "Purge deprovisioned accounts' personal data after the organization's purgeDeprovisionedAfterDays",
  scope: 'deployment',
  schedule: '30 3 * * *',
  async run({ db, now, dryRun, runId, actor }) {
    const result = await purgeDeprovisionedAccounts({ db, now, dryRun, runId, actor });
    const planned: PlannedAction[] = result.due.map((a) => ({
      accountId: a.id,
      userName: a.userName,
      organizationId: a.organizationId,
      action: 'purge',
      clause: `deprovisioned ${Math.floor((now.getTime() - a.deactivatedAt.getTime()) / DAY_MS)} days ago ≥ purge after ${a.afterDays} days`,
    }));
    return { counts: { purge: result.purged }, planned: dryRun ? planned : undefined };
  },
};
