import type { ReconcileMapping, RemediationPolicy } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { dateFormats, isDateFormat, mappingProblems } from '@/lib/sources/csv';
import type { ColumnMap, SourceMapping } from '@/lib/sources/types';
import { matchKeys, type MatchKey } from '@/db/queries/reconcile-diff';

/**
 * What reconciliation finds and what it may do about it. Pure.
 *
 * Categories (one per source row or account, in this order of precedence):
 * - conflict: a row that could be several accounts, or one of several rows claiming one account;
 * - stale: the source says inactive (status map) or past its end date, and the account is active here;
 * - drift: matched, and a field the source speaks about (a mapped column) differs;
 * - matched: matched, nothing differs (counted, not stored);
 * - missing: active at the source, no account here (informational, or a pre-provisioning candidate);
 * - orphan: active here, no source row claims it (SCIM directory: never pushed, or deactivated/deleted by the IdP).
 */
export const categories = ['matched', 'drift', 'orphan', 'stale', 'missing', 'conflict'] as const;
export type Category = (typeof categories)[number];
export type ActionableCategory = Exclude<Category, 'matched'>;
export const actionableCategories = ['drift', 'orphan', 'stale', 'missing', 'conflict'] as const satisfies readonly ActionableCategory[];

export const remediations = ['report', 'suspend', 'deprovision', 'update', 'review'] as const;
export type Remediation = (typeof remediations)[number];

/** The remediations each category allows: only accounts active here are suspended; only drift is updated. */
export const allowedRemediations: Record<ActionableCategory, readonly Remediation[]> = {
  orphan: ['report', 'suspend', 'deprovision', 'review'],
  stale: ['report', 'suspend', 'deprovision', 'review'],
  drift: ['report', 'update', 'review'],
  missing: ['report', 'review'],
  conflict: ['report', 'review'],
};

/** The policy with every category filled in (default: report only). */
export function remediationOf(policy: RemediationPolicy): Record<ActionableCategory, Remediation> {
  return Object.fromEntries(actionableCategories.map((c) => [c, policy[c] ?? 'report'])) as Record<ActionableCategory, Remediation>;
}

export function isCategory(value: string): value is Category {
  return (categories as readonly string[]).includes(value);
}

/** `orphan=suspend` pairs (CLI `--on`) as a policy, or a clear error naming what is wrong. */
export function parseRemediation(pairs: string[]): RemediationPolicy {
  const policy: RemediationPolicy = {};
  for (const pair of pairs) {
    const [category, action, ...rest] = pair.split('=').map((p) => p.trim());
    if (!category || !action || rest.length > 0) throw new AppError('invalid_input', `--on takes category=action (got ${pair})`);
    if (!(actionableCategories as readonly string[]).includes(category)) throw new AppError('invalid_input', `--on ${pair}: the category must be one of ${actionableCategories.join(', ')}`);
    const allowed = allowedRemediations[category as ActionableCategory];
    if (!(allowed as readonly string[]).includes(action)) throw new AppError('invalid_input', `--on ${pair}: ${category} can be ${allowed.join(', ')}`);
    policy[category as ActionableCategory] = action as Remediation;
  }
  return policy;
}

/**
 * A CSV source's column mapping and status map as saved, validated by the CSV reader's own rules
 * (lib/sources/csv/mapping.ts: a key column, one column per field, a status map when status is
 * mapped), and its date format one the reader knows.
 */
export function validateMapping(mapping: ReconcileMapping): ReconcileMapping {
  const problems = mappingProblems(mapping);
  if (mapping.dateFormat !== undefined && !isDateFormat(mapping.dateFormat)) problems.push(`date format '${mapping.dateFormat}' is not one of ${dateFormats.join(', ')}`);
  if (problems.length > 0) throw new AppError('invalid_input', problems.join('; '), { problems });
  return { columns: { ...mapping.columns }, statuses: { ...mapping.statuses }, ...(mapping.dateFormat ? { dateFormat: mapping.dateFormat } : {}) };
}

/**
 * The keys a source matches by, in order: the SCIM directory by the SCIM id alone (a pushed person
 * is its account); a CSV source by the keys its mapping has.
 */
export function matchKeysOf(source: { kind: 'csv' | 'scim'; mapping: SourceMapping }): MatchKey[] {
  if (source.kind === 'scim') return ['scimId'];
  const fields = Object.values(source.mapping.columns) as string[];
  return matchKeys.filter((k) => k !== 'scimId' && fields.includes(k));
}

/** The profile fields and custom attributes a mapping speaks about: drift compares only these. */
export function spokenFields(mapping: SourceMapping): { profile: string[]; extra: string[] } {
  const fields = Object.values(mapping.columns);
  const profileFields = ['userName', 'email', 'displayName', 'givenName', 'familyName', 'department', 'title', 'employeeNumber', 'manager'];
  return {
    profile: profileFields.filter((f) => fields.includes(f as ColumnMap[string])),
    extra: fields.filter((f) => f.startsWith('extra.')).map((f) => f.slice('extra.'.length)),
  };
}
