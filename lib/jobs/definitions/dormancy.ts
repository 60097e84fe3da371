import { findOrganizationsWithDormancyPolicy } from '@/db/queries/job-candidates';
import type { JobDefinition } from '@/lib/jobs/types';
import { runDormancySweep } from '@/lib/governance/dormancy/sweep';

/**
 * The dormancy sweep, daily per organization (lib/governance/dormancy/sweep.ts): warns, suspends and
 * deprovisions accounts nobody uses, as the organization's policy says, behind the circuit breaker.
 */
export const dormancyJob: JobDefinition = {
  name: 'dormancy',
  summary: 'Warn, suspend and deprovision accounts nobody uses (the organization’s dormancy policy)',
  scope: 'organization',
  schedule: '15 3 * * *',
  selectOrganizations: (db) => findOrganizationsWithDormancyPolicy(db),
  run: (input) => runDormancySweep(input),
};
