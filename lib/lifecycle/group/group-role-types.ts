import type { RuleDiffRow } from '@/db/queries/rule-diff';

/**
 * A group-to-role mapping change, door-neutral (console, CLI): a SCIM group (by id) or a group sent
 * at sign-in (by name) is mapped to a role, or to none (`roleKey: null`).
 */
export type GroupRef = { kind: 'scim'; id: string } | { kind: 'sign-in'; name: string };
export type GroupRoleChange = { group: GroupRef; roleKey: string | null };
export type GroupRoleOptions = { dryRun: boolean; confirmOver?: number | null; limit?: number; now?: Date };

/** What the change does, before it is done: counts are exact, the lists hold the first `listLimit` accounts by user name. */
export type GroupRolePreview = {
  group: { kind: GroupRef['kind']; id: string | null; name: string };
  before: { roleKey: string | null; roleName: string | null };
  after: { roleKey: string | null; roleName: string | null };
  /** Whether the mapping itself changes (else only drift, if any, is repaired). */
  changed: boolean;
  /** A sign-in group's mapping is a birthright rule: the rule it creates, updates or deletes. */
  rule: { id: string | null; name: string; change: 'create' | 'update' | 'delete' | null } | null;
  counts: { gain: number; lose: number; gainRole: number; loseRole: number; accounts: number };
  gain: RuleDiffRow[];
  lose: RuleDiffRow[];
  listLimit: number;
  /** The organization's mass-change limit, and whether this change is past it (then a real run needs the number typed). */
  limit: number;
  needsConfirmation: boolean;
};

export type GroupRoleReport = GroupRolePreview & { runId: string; dryRun: boolean; granted: number; revoked: number };

export const DEFAULT_GROUP_ROLE_LIST = 50;
export const MAX_GROUP_ROLE_LIST = 10_000;

export const listLimitOf = (limit: number | undefined) => Math.min(Math.max(0, Math.floor(limit ?? DEFAULT_GROUP_ROLE_LIST)), MAX_GROUP_ROLE_LIST);
