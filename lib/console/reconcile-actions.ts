import { z } from 'zod';
import { getReconcileSourceById } from '@/db/queries/reconcile-sources';
import type { ActionContext } from '@/lib/auth/define-action';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { openReconcileSource } from '@/lib/reconcile/open-source';
import { actionableCategories, allowedRemediations, remediations, type ActionableCategory, type Remediation } from '@/lib/reconcile/policy';
import { getRunDetailOrThrow, type RunDto } from '@/lib/reconcile/read';
import { resolveReview } from '@/lib/reconcile/review';
import { runReconciliation } from '@/lib/reconcile/run';
import { createReconcileSource } from '@/lib/reconcile/sources';
import { previewCsv, type CsvPreview } from '@/lib/sources/csv';
import { dateFormats } from '@/lib/sources/csv/values';
import { categoryLabels, describeApplied, describePlanned, remediationLabels } from './reconcile-words';
import { uploadOf, withUpload } from './upload';

/**
 * The reconciliation pages' actions, without Next.js (app/(dashboard)/admin/reconciliation/
 * actions.ts binds them): preview a sample CSV, create a source, run one (dry run, apply, confirm
 * a halted run), and close a review item. Every id is looked up in the admin's organization (never
 * the form's); uploads are streamed to a temporary file that is deleted once the engine has read it.
 */
const optionalInt = (label: string, max?: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined || v === null ? undefined : Number(v)),
    z
      .number({ error: `${label} must be a whole number.` })
      .int(`${label} must be a whole number.`)
      .min(1, `${label} must be at least 1.`)
      .max(max ?? Number.MAX_SAFE_INTEGER, `${label} must be at most ${max}.`)
      .optional(),
  );
const flag = z.preprocess((v) => v === 'on' || v === 'true', z.boolean());
const file = z.unknown().optional().transform((v) => uploadOf(v));

export const previewSchema = z.object({ file });

export async function previewSourceFile(input: z.infer<typeof previewSchema>): Promise<CsvPreview & { fileName: string }> {
  if (!input.file) throw new AppError('invalid_input', 'Choose a CSV file to preview.');
  return withUpload(input.file, async (upload) => ({ ...(await previewCsv(upload.path, { rows: 5, sampleRows: 2000 })), fileName: upload.name }));
}

const mappingJson = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (!text) return { columns: {}, statuses: {} };
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'The mapping is not valid JSON.' });
      return z.NEVER;
    }
  })
  .pipe(z.object({ columns: z.record(z.string(), z.string()), statuses: z.record(z.string(), z.enum(['active', 'inactive'])), dateFormat: z.enum(dateFormats).optional() }));

export const createSourceSchema = z.object({
  name: z.string().trim().min(1, 'Give the source a name.').max(100, 'At most 100 characters.'),
  kind: z.enum(['csv', 'scim'], { error: 'Choose CSV or SCIM directory.' }),
  mapping: mappingJson,
  ...Object.fromEntries(actionableCategories.map((c) => [`on_${c}`, z.enum(remediations).optional()])),
  filePath: z.string().trim().max(1000).optional(),
  scheduleEnabled: flag,
  maxRowDropPercent: optionalInt('Max row drop', 100),
  maxSharePercent: optionalInt('Max share', 100),
  maxCount: optionalInt('Max count'),
}) as z.ZodType<CreateSourceInput>;

type CreateSourceInput = {
  name: string;
  kind: 'csv' | 'scim';
  mapping: { columns: Record<string, string>; statuses: Record<string, 'active' | 'inactive'>; dateFormat?: (typeof dateFormats)[number] };
  filePath?: string;
  scheduleEnabled: boolean;
  maxRowDropPercent?: number;
  maxSharePercent?: number;
  maxCount?: number;
} & Partial<Record<`on_${(typeof actionableCategories)[number]}`, (typeof remediations)[number]>>;

export async function createSource(input: CreateSourceInput, { db, admin }: ActionContext) {
  const remediation: Partial<Record<ActionableCategory, Remediation>> = {};
  for (const category of actionableCategories) {
    const action = input[`on_${category}`];
    if (!action) continue;
    const allowed = allowedRemediations[category];
    if (!allowed.includes(action)) throw new AppError('invalid_input', `${categoryLabels[category]} findings can be: ${allowed.map((a) => remediationLabels[a]!.toLowerCase()).join(', ')}.`);
    remediation[category] = action;
  }
  const { dateFormat, ...mapping } = input.mapping;
  const created = await createReconcileSource(db, {
    organizationId: admin.organizationId,
    actor: admin.actor,
    source: {
      name: input.name,
      kind: input.kind,
      mapping: { ...mapping, ...(dateFormat ? { dateFormat } : {}) } as Parameters<typeof createReconcileSource>[1]['source']['mapping'],
      remediation,
      filePath: input.filePath || null,
      scheduleEnabled: input.scheduleEnabled,
      maxRowDropPercent: input.maxRowDropPercent,
      maxSharePercent: input.maxSharePercent ?? null,
      maxCount: input.maxCount ?? null,
    },
  });
  return { message: `Source ${created.name} created.`, sourceId: created.id };
}

export const runSourceSchema = z.object({
  sourceId: z.string().refine(isUuid, 'No such source.'),
  file,
  dryRun: flag,
  /** Apply: the dry run whose file this must be (its planned actions are what the admin confirmed). */
  dryRunId: z.string().refine(isUuid, 'No such run.').optional(),
  /** Proceed with this halted run (`roster reconcile run --confirm RUN_ID`). */
  confirmRunId: z.string().refine(isUuid, 'No such run.').optional(),
});

export type RunReport = Pick<RunDto, 'runId' | 'dryRun' | 'outcome' | 'halted' | 'haltReason' | 'confirmable' | 'failureReason' | 'counts' | 'actions' | 'newCount' | 'resolvedCount' | 'rowCount' | 'badRowCount'> & {
  message: string;
  source: string;
  badRows: { line: number; reason: string }[];
};

/** The run the new one must match (a dry run to apply, a halted run to confirm): of this source, and (uploads) of the same bytes. */
async function checkAgainst(ctx: ActionContext, sourceId: string, runId: string, kind: 'dry' | 'halted', checksum: string | null) {
  const run = await getRunDetailOrThrow(ctx.db, ctx.admin.organizationId, runId);
  if (run.sourceId !== sourceId) throw new AppError('not_found', 'No such run of this source.');
  if (kind === 'dry' && (!run.dryRun || run.outcome !== 'completed')) throw new AppError('conflict', 'Apply a completed dry run: run a dry run first.');
  if (checksum && run.fileChecksum && run.fileChecksum !== checksum) {
    throw new AppError('conflict', `This file is not the one the ${kind === 'dry' ? 'dry run' : 'halted run'} read: ${kind === 'dry' ? 'run a dry run of it first' : 'choose the same file, or run it afresh'}.`);
  }
}

export async function runSource(input: z.infer<typeof runSourceSchema>, ctx: ActionContext): Promise<RunReport> {
  const { db, admin } = ctx;
  const source = await getReconcileSourceById(db, admin.organizationId, input.sourceId);
  if (!source) throw new AppError('not_found', 'No such source in this organization.');
  if (input.dryRun && input.confirmRunId) throw new AppError('invalid_input', 'A dry run confirms nothing: confirm with a real run.');
  if (source.kind === 'scim' && input.file) throw new AppError('invalid_input', `${source.name} is the SCIM directory: it reads no file.`);
  if (source.kind === 'csv' && !input.file && !source.filePath) throw new AppError('invalid_input', 'Choose the CSV file to read: this source has no file path.');
  const go = async (upload: { path: string; name: string; checksum: string } | null) => {
    if (input.dryRunId) await checkAgainst(ctx, source.id, input.dryRunId, 'dry', upload?.checksum ?? null);
    if (input.confirmRunId) await checkAgainst(ctx, source.id, input.confirmRunId, 'halted', upload?.checksum ?? null);
    const opened = await openReconcileSource(db, source, { file: upload?.path ?? null });
    const outcome = await runReconciliation(db, {
      organizationId: admin.organizationId,
      source,
      records: opened.records,
      filePath: upload ? `upload:${upload.name}` : opened.filePath,
      checksum: opened.checksum,
      dryRun: input.dryRun,
      confirmRunId: input.confirmRunId ?? null,
      now: new Date(),
      actor: admin.actor,
      trigger: 'console',
    });
    return { ...outcome, badRows: outcome.badRows.slice(0, 20), message: messageOf(outcome) };
  };
  return input.file ? withUpload(input.file, go) : go(null);
}

/** A real run from the run's page (apply a dry run, confirm a halted one): halted or failed again is the form's error, naming the new run. */
export async function applyRun(input: z.infer<typeof runSourceSchema>, ctx: ActionContext) {
  if (!input.dryRunId && !input.confirmRunId) throw new AppError('invalid_input', 'Apply a dry run or confirm a halted run.');
  const report = await runSource({ ...input, dryRun: false }, ctx);
  if (report.outcome !== 'completed') throw new AppError('conflict', `${report.message} The new run is ${report.runId.slice(0, 8)} under Runs.`);
  return { message: report.message };
}

function messageOf(o: { dryRun: boolean; outcome: string; haltReason: string | null; failureReason: string | null; actions: Record<string, number> }): string {
  if (o.outcome === 'failed') return `The run failed: ${o.failureReason ?? 'see the run'}. Nobody was changed.`;
  if (o.outcome === 'halted') return `The run halted: ${o.haltReason ?? 'a check failed'}. Nobody was changed.`;
  if (o.dryRun) {
    const what = describePlanned(o.actions);
    return what === 'nothing' ? 'A run now would change nothing.' : `A run now would ${what}.`;
  }
  const done = describeApplied(o.actions);
  return done === 'nothing' ? 'Run complete: nothing needed changing.' : `Run complete: ${done}.`;
}

export const resolveReviewSchema = z.object({
  findingId: z.coerce.number({ error: 'No such finding.' }).int().positive('No such finding.'),
  resolution: z.enum(['resolved', 'dismissed'], { error: 'Choose resolved or dismissed.' }),
  note: z.string().trim().max(500, 'At most 500 characters.').optional(),
});

export async function resolveReviewItem(input: z.infer<typeof resolveReviewSchema>, { db, admin }: ActionContext) {
  const done = await resolveReview(db, { organizationId: admin.organizationId, findingId: input.findingId, resolution: input.resolution, note: input.note || null, actor: admin.actor });
  return { message: `Review ${done.reviewState}.` };
}
