import type { Database, Tx } from '@/db';
import { getReconcileSourceByName, insertReconcileSource } from '@/db/queries/reconcile-sources';
import { recordEvent, type Actor } from '@/lib/audit/record-event';
import { AppError } from '@/lib/errors';
import type { ReconcileMapping, ReconcileSource } from '@/db/schema';
import type { SourceKind } from '@/lib/sources/types';
import { actionableCategories, allowedRemediations, remediationOf, validateMapping, type ActionableCategory, type Remediation } from './policy';

/** What an admin gives to create a source (CLI `roster reconcile source create`, the console). */
export type SourceInput = {
  name: string;
  kind: SourceKind;
  mapping?: ReconcileMapping;
  remediation?: Partial<Record<ActionableCategory, Remediation>>;
  filePath?: string | null;
  scheduleEnabled?: boolean;
  maxRowDropPercent?: number;
  maxSharePercent?: number | null;
  maxCount?: number | null;
};

const percent = (name: string, value: number | null | undefined) => {
  if (value === null || value === undefined) return value ?? null;
  if (!Number.isInteger(value) || value < 1 || value > 100) throw new AppError('invalid_input', `${name} must be a whole percentage from 1 to 100 (got ${value})`);
  return value;
};

/** The source as stored, or a clear error naming what is wrong. Pure. */
export function validateSource(input: SourceInput) {
  const name = input.name.trim();
  if (!name || name.length > 100) throw new AppError('invalid_input', 'a source needs a name of 1 to 100 characters');
  if (input.kind !== 'csv' && input.kind !== 'scim') throw new AppError('invalid_input', `kind must be csv or scim (got ${String(input.kind)})`);
  const remediation = remediationOf(input.remediation ?? {});
  for (const category of actionableCategories) {
    const allowed = allowedRemediations[category];
    if (!allowed.includes(remediation[category])) throw new AppError('invalid_input', `${category} can be ${allowed.join(', ')} (got ${String(remediation[category])})`);
  }
  if (input.kind === 'scim') {
    if (input.mapping && (Object.keys(input.mapping.columns).length > 0 || Object.keys(input.mapping.statuses).length > 0)) {
      throw new AppError('invalid_input', 'a SCIM-directory source has no column or status mapping: the IdP’s pushes are its records');
    }
    if (input.filePath || input.scheduleEnabled) throw new AppError('invalid_input', 'a SCIM-directory source reads no file (its scheduled run is the reconcile job of a csv source only)');
    if (remediation.drift === 'update') throw new AppError('invalid_input', 'a SCIM-directory source finds no drift to update: SCIM writes its attributes itself');
  }
  const mapping = input.kind === 'csv' ? validateMapping(input.mapping ?? { columns: {}, statuses: {} }) : { columns: {}, statuses: {} };
  const filePath = input.filePath?.trim() || null;
  if (input.scheduleEnabled && !filePath) throw new AppError('invalid_input', 'a scheduled source needs a file path (--file-path) to read');
  const maxRowDropPercent = percent('max-row-drop', input.maxRowDropPercent) ?? 20;
  const maxSharePercent = percent('max-share', input.maxSharePercent);
  const maxCount = input.maxCount ?? null;
  if (maxCount !== null && (!Number.isInteger(maxCount) || maxCount < 1)) throw new AppError('invalid_input', `max-count must be a whole number of at least 1 (got ${maxCount})`);
  return { name, kind: input.kind, mapping, remediation, filePath, scheduleEnabled: input.scheduleEnabled ?? false, maxRowDropPercent, maxSharePercent, maxCount };
}

/** Creates a source (validated, unique name in the organization), audited. */
export async function createReconcileSource(db: Database, input: { organizationId: string; source: SourceInput; actor: Actor }): Promise<ReconcileSource> {
  const values = validateSource(input.source);
  return db.transaction(async (tx) => {
    const created = await insertReconcileSource(tx, { organizationId: input.organizationId, ...values, createdBy: input.actor.id ?? input.actor.type });
    if (!created) throw new AppError('conflict', `a source named ${values.name} already exists in this organization`);
    await recordEvent(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: 'reconcile.source_created',
      target: { type: 'reconcile_source', id: created.id },
      after: { ...values },
      data: { name: values.name, kind: values.kind, remediation: values.remediation, filePath: values.filePath, scheduleEnabled: values.scheduleEnabled },
    });
    return created;
  });
}

export async function getReconcileSourceOrThrow(db: Tx, organization: { id: string; slug: string }, name: string): Promise<ReconcileSource> {
  const source = await getReconcileSourceByName(db, organization.id, name);
  if (!source) throw new AppError('not_found', `no reconciliation source ${name} in organization ${organization.slug} (roster reconcile source list shows them)`);
  return source;
}
