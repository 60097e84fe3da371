import type { BulkActionName } from '@/lib/audit/events';
import type { Actor } from '@/lib/audit/record-event';

/** A bulk action of the admin console: the same change for many accounts of one organization. */
export type BulkAction = BulkActionName;

export type BulkInput = {
  organizationId: string;
  action: BulkAction;
  /** The selected accounts, or those of the current filter (duplicates count once). */
  accountIds: string[];
  /** grant_role and revoke_role: the role; the other actions take none. */
  roleKey?: string | null;
  /** grant_role only: the grant lapses then (none: permanent). */
  expiresAt?: Date | null;
  reason?: string | null;
  /** Runs the same code path and rolls every chunk back: the report says what a real run would do. */
  dryRun: boolean;
  /** Past the organization's limit: the number the admin typed, which must equal the run's `requested`. */
  confirmOver?: number | null;
};

export type BulkWho = { actor: Actor; now: Date };

/** What happened to one account: changed, left as it was, or refused (with the reason). */
export const changedOutcomes = ['suspended', 'restored', 'granted', 'extended', 'revoked', 'revoked_still_held'] as const;
export const unchangedOutcomes = ['already_suspended', 'already_active', 'already_granted', 'not_held'] as const;
export const refusalCodes = ['not_in_organization', 'own_account', 'deprovisioned', 'pending_approval', 'security_hold', 'directory_inactive', 'held_through_rule', 'refused'] as const;

export type ChangedOutcome = (typeof changedOutcomes)[number];
export type UnchangedOutcome = (typeof unchangedOutcomes)[number];
export type RefusalCode = (typeof refusalCodes)[number];
export type BulkOutcome = ChangedOutcome | UnchangedOutcome | RefusalCode;

export type Refusal = { code: RefusalCode; reason: string };
export type AccountOutcome = { accountId: string; outcome: ChangedOutcome | UnchangedOutcome } | { accountId: string; outcome: RefusalCode; reason: string };

export type BulkReport = {
  runId: string;
  dryRun: boolean;
  action: BulkAction;
  /** Distinct account ids given. requested = changed + unchanged + refused.length. */
  requested: number;
  changed: number;
  unchanged: number;
  refused: { accountId: string; code: RefusalCode; reason: string }[];
  /** How many accounts had each outcome (outcomes no account had are absent). */
  byOutcome: Partial<Record<BulkOutcome, number>>;
  /** The organization's limit for one run, and whether this run is past it (a real run then needs confirmOver). */
  limit: number;
  needsConfirmation: boolean;
};

const changed = new Set<string>(changedOutcomes);
const unchanged = new Set<string>(unchangedOutcomes);
export const isChanged = (outcome: BulkOutcome): outcome is ChangedOutcome => changed.has(outcome);
export const isUnchanged = (outcome: BulkOutcome): outcome is UnchangedOutcome => unchanged.has(outcome);
