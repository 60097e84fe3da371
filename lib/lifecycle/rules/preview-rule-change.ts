import type { Database, Tx } from '@/db';
import { getOrganizationSettings } from '@/db/queries/organizations';
import { summarizeRuleDiff, type RuleDiffRow } from '@/db/queries/rule-diff';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { bulkActionLimit } from '../bulk/limits';
import { resolveRuleChange, ruleState, type ResolvedChange, type RuleChange, type RuleView } from './rule-change';

/**
 * What a rule change would do, computed in SQL over the organization's accounts before anything is
 * saved (db/queries/rule-diff.ts): which accounts would gain and lose which roles. Counts are exact;
 * the lists hold the first `limit` accounts by user name. `heldOtherwise` marks an account that
 * holds the role through another source too (its access does not change). Past the organization's
 * mass-change limit (the bulk actions' limit, lib/lifecycle/bulk/limits.ts) applying it needs the
 * number of accounts typed as confirmation.
 */
export type RulePreview = {
  change: RuleChange['kind'];
  rule: RuleView;
  before: RuleView | null;
  counts: { gain: number; lose: number; gainRole: number; loseRole: number; accounts: number };
  gain: RuleDiffRow[];
  lose: RuleDiffRow[];
  /** The lists hold at most this many entries each. */
  listLimit: number;
  /** The organization's mass-change limit, and whether this change is past it. */
  limit: number;
  needsConfirmation: boolean;
  /** The role the change names does not exist yet: applying it creates it. */
  createsRole: string | null;
};

export const DEFAULT_PREVIEW_LIST = 50;
export const MAX_PREVIEW_LIST = 10_000;

export type PreviewOptions = { limit?: number; now?: Date; createRole?: boolean };

/** Reads only (a page or the CLI before saving). */
export async function previewRuleChange(db: Database | Tx, organizationId: string, change: RuleChange, options: PreviewOptions = {}): Promise<RulePreview> {
  const settings = isUuid(organizationId) ? await getOrganizationSettings(db, organizationId) : null;
  if (!settings) throw new AppError('not_found', 'No such organization.');
  const resolved = await resolveRuleChange(db, organizationId, change, { createRole: options.createRole });
  return planRuleChange(db, organizationId, resolved, { ...options, massLimit: bulkActionLimit(settings) });
}

/** The preview of a resolved change (also the apply's own plan, in its unit of work). */
export async function planRuleChange(db: Database | Tx, organizationId: string, resolved: ResolvedChange, options: PreviewOptions & { massLimit: number }): Promise<RulePreview> {
  const listLimit = Math.min(Math.max(0, Math.floor(options.limit ?? DEFAULT_PREVIEW_LIST)), MAX_PREVIEW_LIST);
  const summary = await summarizeRuleDiff(db, { organizationId, ruleId: resolved.ruleId, after: ruleState(resolved.after), now: options.now ?? new Date() }, listLimit);
  const rule = { ...(resolved.after ?? resolved.before!) };
  return {
    change: resolved.kind,
    rule,
    before: resolved.before,
    counts: { gain: summary.gain, lose: summary.lose, gainRole: summary.gainRole, loseRole: summary.loseRole, accounts: summary.accounts },
    gain: summary.gainRows,
    lose: summary.loseRows,
    listLimit,
    limit: options.massLimit,
    needsConfirmation: summary.accounts > options.massLimit,
    createsRole: resolved.missingRoleKey,
  };
}
