import type { RemediationPolicy } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { mappableFields, type ColumnMap, type SourceMapping, type StatusMap } from '@/lib/sources/types';

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

const fieldPattern = /^extra\.[A-Za-z0-9_.-]{1,64}$/;

/** A column mapping and status map as saved on a source, validated (at least one matching key is mapped). */
export function validateMapping(mapping: SourceMapping): SourceMapping {
  const columns: ColumnMap = {};
  const seen = new Map<string, string>();
  for (const [column, field] of Object.entries(mapping.columns)) {
    const header = column.trim();
    if (!header) throw new AppError('invalid_input', 'a mapped column needs a header name');
    if (field === ('ignore' as string)) continue; // an unmapped column is ignored anyway
    if (!(mappableFields as readonly string[]).includes(field) && !fieldPattern.test(field)) {
      throw new AppError('invalid_input', `column ${header}: ${field} is not a field (one of ${mappableFields.join(', ')}, or extra.<name>)`);
    }
    if (seen.has(field)) throw new AppError('invalid_input', `columns ${seen.get(field)} and ${header} both map to ${field}`);
    seen.set(field, header);
    columns[header] = field as ColumnMap[string];
  }
  if (!['employeeNumber', 'externalId', 'email'].some((k) => seen.has(k))) {
    throw new AppError('invalid_input', 'map at least one matching key: a column to employeeNumber, externalId or email');
  }
  const statuses: StatusMap = {};
  for (const [value, state] of Object.entries(mapping.statuses)) {
    if (state !== 'active' && state !== 'inactive') throw new AppError('invalid_input', `status ${value}: maps to active or inactive (got ${String(state)})`);
    statuses[value.trim().toLowerCase()] = state;
  }
  if (Object.keys(statuses).length > 0 && !seen.has('status')) throw new AppError('invalid_input', 'a status map needs a column mapped to status');
  return { columns, statuses };
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
