import { getJobRun } from '@/db/queries/job-runs';
import { AppError } from '@/lib/errors';
import { refreshSamlMetadataJob, type ConnectionRefresh } from '@/lib/jobs/definitions/refresh-saml-metadata';
import { runJob } from '@/lib/jobs/run-job';
import { refreshSamlMetadata, type RefreshResult } from '@/lib/lifecycle/connection/refresh-saml-metadata';
import { UsageError, flag, optionalString, orgOption, requiredString, type Command } from '../command';
import { details, table } from '../format';
import { cliActor, getOrganizationOrThrow } from '../resolve';
import { getConnectionOrThrow } from './connection-common';

/**
 * `roster connection refresh-metadata`: reads a SAML connection's metadata URL again now
 * (lib/lifecycle/connection/refresh-saml-metadata.ts), or with --all every enabled one of the
 * organization as one run of the refresh-saml-metadata job (a job_runs row; its id on each event).
 * A failed or refused refresh of one connection exits 1 with the reason (it is audited).
 */
const refresh: Command = {
  name: 'connection refresh-metadata',
  summary: "Read a SAML connection's IdP metadata again from its metadata URL: rotated certificates and SSO URL applied, another entity ID refused",
  usage: [
    ['--org <slug>', 'the organization'],
    ['--connection <id|name>', 'the SAML connection (roster connection list)'],
    ['--all', 'every enabled SAML connection of the organization with a metadata URL (a run of the refresh-saml-metadata job)'],
    ['--dry-run', 'fetch and compare; change nothing'],
  ],
  options: { ...orgOption, connection: { type: 'string' }, all: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const ref = optionalString(values, 'connection');
    const all = flag(values, 'all');
    const dryRun = flag(values, 'dry-run');
    if (Boolean(ref) === all) throw new UsageError('give --connection NAME|ID or --all');
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      if (all) {
        const run = await runJob(db, refreshSamlMetadataJob, { organizationId: org.id, trigger: 'cli', actor: cliActor(), now: new Date(), dryRun });
        if (run.status === 'failed') throw new AppError('internal', `refresh-saml-metadata failed (run ${run.runId}): ${run.error}`);
        const stored = (await getJobRun(db, run.runId))?.details as { connections?: ConnectionRefresh[] } | undefined;
        const connections = stored?.connections ?? [];
        return { data: { runId: run.runId, dryRun, counts: run.counts, connections }, text: allText(run.runId, dryRun, connections) };
      }
      const connection = await getConnectionOrThrow(db, org, ref!);
      const result = await refreshSamlMetadata(db, { organizationId: org.id, connectionId: connection.id, dryRun }, { actor: cliActor() });
      if (result.outcome === 'failed' || result.outcome === 'refused') throw new AppError('precondition_failed', result.message, { reason: result.reason });
      return { data: result, text: oneText(result) };
    };
  },
};

function oneText(r: RefreshResult): string {
  const lines: [string, string][] = [
    ['metadata URL', r.metadataUrl],
    ['outcome', r.dryRun ? `${r.outcome} (dry run)` : r.outcome],
    ...r.certificatesAdded.map((c): [string, string] => ['certificate added', `${c.fingerprint} (expires ${c.notAfter.slice(0, 10)})`]),
    ...r.certificatesRemoved.map((c): [string, string] => ['certificate removed', `${c.fingerprint} (expires ${c.notAfter.slice(0, 10)})`]),
    ...(r.ssoUrl ? [['SSO URL', `${r.ssoUrl.before} -> ${r.ssoUrl.after}`] as [string, string]] : []),
  ];
  return [r.message, details(lines)].join('\n');
}

function allText(runId: string, dryRun: boolean, connections: ConnectionRefresh[]): string {
  return [
    `${dryRun ? 'Dry run' : 'Run'} ${runId} of refresh-saml-metadata:`,
    table(connections, [['CONNECTION', (c) => c.name], ['OUTCOME', (c) => c.outcome], ['WHAT', (c) => c.message]], '(no enabled SAML connection with a metadata URL)'),
  ].join('\n');
}

export const connectionRefreshCommands = [refresh];
