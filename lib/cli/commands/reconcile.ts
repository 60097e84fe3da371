import { getReconcileRun } from '@/db/queries/reconcile-runs';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { openReconcileSource } from '@/lib/reconcile/open-source';
import { dateFormats, parseMappingFlags } from '@/lib/sources/csv';
import { actionableCategories, parseRemediation } from '@/lib/reconcile/policy';
import { findingsPage, listRuns, listSources, toFindingDto, toRunDto, toSourceDto } from '@/lib/reconcile/read';
import { resolveReview } from '@/lib/reconcile/review';
import { runReconciliation, type ReconcileOutcome } from '@/lib/reconcile/run';
import { createReconcileSource, getReconcileSourceOrThrow } from '@/lib/reconcile/sources';
import { UsageError, flag, integer, oneOf, optionalString, orgOption, requiredString, stringList, type Command, type OptionValues } from '../command';
import { details, table } from '../format';
import { cliActor, getOrganizationOrThrow } from '../resolve';

/** Dry-run JSON keeps this many findings (the rest: roster reconcile findings --run RUN_ID). */
export const DRY_RUN_FINDINGS = 1000;

function percentOption(values: OptionValues, name: string): number | undefined {
  const raw = optionalString(values, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} takes a whole number (got ${raw})`);
  return Number(raw);
}

const countsText = (counts: Record<string, number>) => Object.entries(counts).map(([k, n]) => `${k}=${n}`).join(' ') || null;

const sourceCreate: Command = {
  name: 'reconcile source create',
  summary: 'Create a reconciliation source: an HR export (csv) or the SCIM directory (scim), audited',
  usage: [
    ['--org <slug>', 'the organization'],
    ['--kind <csv|scim>', 'an HR export as CSV, or the organization’s SCIM directory (the IdP’s pushes)'],
    ['--name <name>', 'the source’s name, unique in the organization'],
    ['--map <column=field>', `csv: a column to a field (employeeNumber, externalId, email, status, startDate, endDate, userName, displayName, givenName, familyName, department, title, manager, or extra.<name>); repeatable`],
    ['--status-map <value=active|inactive>', 'csv: a status value ("Terminated", "Leave" …) to active or inactive; repeatable'],
    ['--date-format <format>', `csv: how the file writes dates when not ISO: ${dateFormats.join(' | ')}`],
    ['--on <category=action>', `remediation: ${actionableCategories.join(', ')} = report (default) | suspend | deprovision (orphan, stale) | update (drift) | review; repeatable`],
    ['--file-path <path>', 'csv: the file the scheduled reconcile job reads'],
    ['--schedule', 'run the reconcile job on this source (daily; needs --file-path)'],
    ['--max-row-drop <percent>', 'sanity: a file with this share fewer rows than the last completed run halts (default 20)'],
    ['--max-share <percent>', 'circuit breaker: halt a run suspending or deprovisioning more than this share of active accounts (default: the dormancy policy’s, else 10)'],
    ['--max-count <n>', 'circuit breaker: …or more than this many accounts (with --max-share)'],
  ],
  options: {
    ...orgOption,
    kind: { type: 'string' },
    name: { type: 'string' },
    map: { type: 'string', multiple: true },
    'status-map': { type: 'string', multiple: true },
    'date-format': { type: 'string' },
    on: { type: 'string', multiple: true },
    'file-path': { type: 'string' },
    schedule: { type: 'boolean' },
    'max-row-drop': { type: 'string' },
    'max-share': { type: 'string' },
    'max-count': { type: 'string' },
  },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const kind = oneOf(values, 'kind', ['csv', 'scim'] as const);
    if (!kind) throw new UsageError('--kind is required (csv or scim)');
    const name = requiredString(values, 'name');
    const map = stringList(values, 'map');
    const statusMap = stringList(values, 'status-map');
    if (kind === 'scim' && (map.length || statusMap.length)) throw new UsageError('a scim source takes no --map or --status-map: the IdP’s pushes are its records');
    if (kind === 'csv' && map.length === 0) throw new UsageError('a csv source needs its columns: --map column=field (at least a matching key: employeeNumber, externalId or email)');
    const mapping = kind === 'csv' ? parseMappingFlags({ map, statusMap }) : undefined;
    const dateFormat = optionalString(values, 'date-format');
    const remediation = parseRemediation(stringList(values, 'on'));
    const maxShare = percentOption(values, 'max-share');
    const maxCount = percentOption(values, 'max-count');
    if (maxCount !== undefined && maxShare === undefined) throw new UsageError('--max-count goes with --max-share (the source’s own breaker limits)');
    const input = {
      name,
      kind,
      mapping: mapping && (dateFormat ? { ...mapping, dateFormat } : mapping),
      remediation,
      filePath: optionalString(values, 'file-path') ?? null,
      scheduleEnabled: flag(values, 'schedule'),
      maxRowDropPercent: percentOption(values, 'max-row-drop'),
      maxSharePercent: maxShare ?? null,
      maxCount: maxCount ?? null,
    };
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const source = toSourceDto(await createReconcileSource(db, { organizationId: org.id, source: input, actor: cliActor() }));
      return { data: source, text: `Source ${source.name} (${source.kind}) created in ${slug}\n${sourceText(source)}` };
    };
  },
};

function sourceText(s: ReturnType<typeof toSourceDto>): string {
  const columns = Object.entries(s.mapping.columns).map(([c, f]) => `${c}=${f}`);
  const statuses = Object.entries(s.mapping.statuses).map(([v, st]) => `${v}=${st}`);
  return details([
    ['kind', s.kind === 'csv' ? 'csv (HR export)' : 'scim (the SCIM directory)'],
    ['columns', columns.length ? columns : null],
    ['statuses', statuses.length ? statuses : null],
    ['remediation', Object.entries(s.remediation).map(([c, a]) => `${c}=${a}`)],
    ['file path', s.filePath],
    ['schedule', s.scheduleEnabled ? 'on (reconcile job)' : 'off'],
    ['sanity', `halts when rows drop by more than ${s.maxRowDropPercent}%`],
    ['breaker', s.breaker ? `over ${s.breaker.maxSharePercent}%${s.breaker.maxCount ? ` or ${s.breaker.maxCount} accounts` : ''}` : 'the organization’s (dormancy policy limits, else 10%)'],
  ]);
}

const sourceList: Command = {
  name: 'reconcile source list',
  summary: "List an organization's reconciliation sources with their last run",
  usage: [['--org <slug>', 'the organization']],
  options: { ...orgOption },
  prepare(values) {
    const slug = requiredString(values, 'org');
    return async ({ db }) => {
      const sources = await listSources(db, (await getOrganizationOrThrow(db, slug)).id);
      return {
        data: sources,
        text: table(sources, [
          ['NAME', (s) => s.name],
          ['KIND', (s) => s.kind],
          ['SCHEDULE', (s) => (s.scheduleEnabled ? s.filePath : 'off')],
          ['LAST RUN', (s) => (s.lastRun ? `${s.lastRun.outcome}${s.lastRun.dryRun ? ' (dry run)' : ''} ${s.lastRun.startedAt?.toISOString().replace(/\.\d{3}Z$/, 'Z')}` : null)],
          ['FOUND', (s) => (s.lastRun?.counts ? countsText(s.lastRun.counts) : null)],
        ], '(no sources: roster reconcile source create …)'),
      };
    };
  },
};

const sourceShow: Command = {
  name: 'reconcile source show',
  summary: 'Show a reconciliation source and its recent runs',
  usage: [['--org <slug>', 'the organization'], ['--name <name>', 'the source']],
  options: { ...orgOption, name: { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const name = requiredString(values, 'name');
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const source = toSourceDto(await getReconcileSourceOrThrow(db, org, name));
      const { runs } = await listRuns(db, org.id, { sourceId: source.id, limit: 10 });
      return { data: { ...source, runs }, text: [sourceText(source), '', runsTable(runs)].join('\n') };
    };
  },
};

function runsTable(runs: ReturnType<typeof toRunDto>[]): string {
  return table(runs, [
    ['RUN', (r) => r.runId],
    ['STARTED', (r) => r.startedAt],
    ['OUTCOME', (r) => `${r.outcome}${r.dryRun ? ' (dry run)' : ''}`],
    ['ROWS', (r) => `${r.rowCount}${r.badRowCount ? ` (+${r.badRowCount} bad)` : ''}`],
    ['FOUND', (r) => countsText(r.counts)],
    ['NEW/RESOLVED', (r) => `${r.newCount}/${r.resolvedCount}`],
    ['WHY', (r) => r.haltReason ?? r.failureReason],
  ], '(no runs yet)');
}

const runs: Command = {
  name: 'reconcile runs',
  summary: 'Show reconciliation runs, newest first',
  usage: [['--org <slug>', 'the organization'], ['--source <name>', 'only this source'], ['--limit <n>', '1-200 (default 20)']],
  options: { ...orgOption, source: { type: 'string' }, limit: { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const name = optionalString(values, 'source');
    const limit = integer(values, 'limit', 20, { min: 1, max: 200 });
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const sourceId = name ? (await getReconcileSourceOrThrow(db, org, name)).id : undefined;
      const page = await listRuns(db, org.id, { sourceId, limit });
      return { data: page.runs, text: runsTable(page.runs) };
    };
  },
};

function runText(o: ReconcileOutcome, slug: string, findings: ReturnType<typeof toFindingDto>[]): string {
  const lines = [
    details([
      ['run', o.runId],
      ['source', o.source],
      ['outcome', `${o.outcome}${o.dryRun ? ' (dry run: nothing changed)' : ''}`],
      ['rows', `${o.rowCount}${o.badRowCount ? ` and ${o.badRowCount} bad` : ''}`],
      ['found', countsText(o.counts)],
      ['new / resolved', `${o.newCount} / ${o.resolvedCount}${o.previousRunId ? ` since ${o.previousRunId}` : ''}`],
      [o.outcome === 'completed' && !o.dryRun ? 'done' : 'planned', countsText(o.actions)],
    ]),
  ];
  for (const bad of o.badRows.slice(0, 10)) lines.push(`  line ${bad.line}: ${bad.reason}`);
  if (o.failureReason) lines.push(`Failed: ${o.failureReason}. Nothing was changed.`);
  if (o.halted) {
    lines.push(`Halted: ${o.haltReason}`, 'Nothing was changed.');
    if (o.confirmable) lines.push(`To proceed: roster reconcile run --org ${slug} --source ${JSON.stringify(o.source)} --confirm ${o.runId} (with the same file)`);
  }
  if (findings.length) lines.push(table(findings, [['CATEGORY', (f) => f.category], ['ACCOUNT', (f) => f.userName], ['SOURCE', (f) => f.sourceKey], ['LINE', (f) => f.line], ['ACTION', (f) => f.action]]));
  lines.push(`Findings: roster reconcile findings --run ${o.runId}`);
  return lines.join('\n');
}

const run: Command = {
  name: 'reconcile run',
  summary: 'Reconcile an organization’s accounts against a source now, or preview it with --dry-run',
  usage: [
    ['--org <slug>', 'the organization'],
    ['--source <name>', 'the source (roster reconcile source list)'],
    ['--file <path>', 'csv: the HR export to read (default: the source’s file path)'],
    ['--dry-run', 'find and plan; change nothing (the findings are kept and printed)'],
    ['--confirm <run-id>', 'proceed with this halted run (the breaker or a row-count drop; never bad rows or duplicate keys)'],
  ],
  options: { ...orgOption, source: { type: 'string' }, file: { type: 'string' }, 'dry-run': { type: 'boolean' }, confirm: { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const name = requiredString(values, 'source');
    const file = optionalString(values, 'file') ?? null;
    const dryRun = flag(values, 'dry-run');
    const confirmRunId = optionalString(values, 'confirm') ?? null;
    if (confirmRunId && dryRun) throw new UsageError('--confirm proceeds with a real run; it cannot be combined with --dry-run');
    if (confirmRunId && !isUuid(confirmRunId)) throw new UsageError('--confirm takes a run id (roster reconcile runs shows them)');
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const source = await getReconcileSourceOrThrow(db, org, name);
      const opened = await openReconcileSource(db, source, { file });
      const outcome = await runReconciliation(db, { organizationId: org.id, source, records: opened.records, filePath: opened.filePath, checksum: opened.checksum, dryRun, confirmRunId, now: new Date(), actor: cliActor(), trigger: 'cli' });
      if (outcome.outcome === 'failed') throw new AppError('invalid_input', `reconciliation of ${source.name} failed (run ${outcome.runId}, recorded): ${outcome.failureReason}; nothing was changed`);
      const findings = dryRun ? (await findingsPage(db, org.id, { runId: outcome.runId, limit: DRY_RUN_FINDINGS })).findings : [];
      const total = Object.entries(outcome.counts).reduce((n, [c, k]) => (c === 'matched' ? n : n + k), 0);
      const data = { ...outcome, organization: slug, ...(dryRun ? { findings, findingsTotal: total } : {}) };
      return { data, text: runText(outcome, slug, findings.slice(0, 50)) };
    };
  },
};

const findings: Command = {
  name: 'reconcile findings',
  summary: 'List the findings of a reconciliation run (matched rows are counted, not listed)',
  usage: [
    ['--run <run-id>', 'the run (roster reconcile runs)'],
    ['--category <c>', 'only drift | orphan | stale | missing | conflict'],
    ['--limit <n>', 'page size, 1-1000 (default 100)'],
    ['--cursor <c>', 'the next page (nextCursor of the previous one)'],
  ],
  options: { run: { type: 'string' }, category: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
  prepare(values) {
    const runId = requiredString(values, 'run');
    if (!isUuid(runId)) throw new UsageError('--run takes a run id (roster reconcile runs shows them)');
    const category = oneOf(values, 'category', actionableCategories);
    const limit = integer(values, 'limit', 100, { min: 1, max: 1000 });
    const cursor = optionalString(values, 'cursor') ?? null;
    return async ({ db }) => {
      // The operator's CLI: the run decides the organization.
      const found = await getReconcileRun(db, null, runId);
      if (!found) throw new AppError('not_found', `no reconciliation run ${runId}`);
      const page = await findingsPage(db, found.organizationId, { runId, category, cursor, limit });
      const data = { runId, run: toRunDto(found), ...page };
      const text = table(page.findings, [
        ['ID', (f) => f.findingId],
        ['CATEGORY', (f) => f.category],
        ['ACCOUNT', (f) => f.userName],
        ['SOURCE', (f) => f.sourceKey],
        ['LINE', (f) => f.line],
        ['DETAILS', (f) => JSON.stringify(f.details)],
        ['ACTION', (f) => `${f.action}${f.actionOutcome ? ` (${f.actionOutcome})` : ''}${f.review ? ` review ${f.review.state}` : ''}`],
        ['NEW', (f) => (f.isNew ? 'new' : '')],
      ], '(no findings)');
      return { data, text: page.nextCursor ? `${text}\nMore: --cursor ${page.nextCursor}` : text };
    };
  },
};

const review: Command = {
  name: 'reconcile review resolve',
  summary: 'Close the review item of a finding (policy review): resolved or dismissed, audited',
  usage: [['--org <slug>', 'the organization'], ['--finding <id>', 'the finding (roster reconcile findings)'], ['--resolution <r>', 'resolved | dismissed'], ['--note <text>', 'recorded in the audit trail']],
  options: { ...orgOption, finding: { type: 'string' }, resolution: { type: 'string' }, note: { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const id = requiredString(values, 'finding');
    if (!/^\d{1,15}$/.test(id)) throw new UsageError('--finding takes a finding id (a number)');
    const resolution = oneOf(values, 'resolution', ['resolved', 'dismissed'] as const);
    if (!resolution) throw new UsageError('--resolution is required (resolved or dismissed)');
    const note = optionalString(values, 'note') ?? null;
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const result = await resolveReview(db, { organizationId: org.id, findingId: Number(id), resolution, note, actor: cliActor() });
      return { data: result, text: `Finding ${id} (${result.category}): review ${resolution}` };
    };
  },
};

export const reconcileCommands = [sourceCreate, sourceList, sourceShow, runs, run, findings, review];
