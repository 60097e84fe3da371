import type { Tx } from '@/db';
import { deleteAssignments, deleteExpiredAssignments, findAssignments, findRoleKeys, upsertAssignments, type AssignmentRow, type AssignmentSource, type AssignmentWrite } from '@/db/queries/role-assignments';
import type { AuditInput } from '@/lib/audit/record-event';
import { AppError } from '@/lib/errors';
import type { CommandContext } from '../context';

/**
 * The access gate: every grant and revoke, whatever its source (a birthright rule or a connection's
 * default role, a group mapping, an administrator, later a request or a review decision), goes
 * through changeAccess and nowhere else. It decides, writes and audits; later governance extends
 * `decide` (separation of duties, approval gates, review decisions) in this one place.
 *
 * A grant whose assignment lapsed (expiresAt passed) is granted anew; one still in force is left
 * alone, except that a time-bound grant granted again moves to the new expiry (none: permanent).
 * An expired assignment is no grant anywhere a role is read (db/queries/roles.ts filters them).
 */
export type Grant = {
  accountId: string;
  roleId: string;
  source: AssignmentSource;
  sourceRef: string;
  expiresAt?: Date | null;
  reason?: string | null;
};
export type Revoke = { assignment: AssignmentRow; reason?: string | null };
export type AccessRequest = {
  organizationId: string;
  grants?: Grant[];
  revokes?: Revoke[];
  /** The accounts' current assignments when the caller has them (a new account: none). */
  current?: AssignmentRow[];
  /** Role keys by id, when the caller knows them (they name the roles in the audit trail). */
  roleKeys?: Map<string, string>;
};
export type AccessResult = { granted: AssignmentRow[]; extended: AssignmentRow[]; revoked: AssignmentRow[] };

const keyOf = (a: { accountId: string; roleId: string; source: string; sourceRef: string }) => `${a.accountId}|${a.roleId}|${a.source}|${a.sourceRef}`;
const inForce = (a: AssignmentRow, now: Date) => a.expiresAt === null || a.expiresAt.getTime() > now.getTime();

type Decision = { write: AssignmentWrite[]; kinds: Map<string, { kind: 'granted' | 'extended'; previous: Date | null; reason: string | null }> };

/**
 * Pure: which grants change anything, given the current assignments — the decision every grant
 * goes through (later: separation of duties, approval gates, review decisions). changeAccess writes
 * what it decides; an account being created writes its first grants in its creating statement
 * (account/create-account.ts), decided here all the same.
 */
export function decideAccess(request: AccessRequest, current: Map<string, AssignmentRow>, ctx: Pick<CommandContext, 'actor' | 'now'>): Decision {
  const decision: Decision = { write: [], kinds: new Map() };
  for (const grant of request.grants ?? []) {
    const key = keyOf(grant);
    if (decision.kinds.has(key)) continue;
    const expiresAt = grant.expiresAt ?? null;
    if (expiresAt && expiresAt.getTime() <= ctx.now.getTime()) throw new AppError('invalid_input', 'A grant must expire in the future.');
    const existing = current.get(key);
    let kind: 'granted' | 'extended';
    if (!existing || !inForce(existing, ctx.now)) kind = 'granted';
    else if (existing.expiresAt !== null && existing.expiresAt.getTime() !== expiresAt?.getTime()) kind = 'extended';
    else continue;
    decision.kinds.set(key, { kind, previous: existing?.expiresAt ?? null, reason: grant.reason ?? null });
    decision.write.push({
      organizationId: request.organizationId,
      accountId: grant.accountId,
      roleId: grant.roleId,
      source: grant.source,
      sourceRef: grant.sourceRef,
      grantedBy: ctx.actor.id ?? ctx.actor.type,
      grantedAt: ctx.now,
      expiresAt,
    });
  }
  return decision;
}

export async function changeAccess(tx: Tx, request: AccessRequest, ctx: CommandContext): Promise<AccessResult> {
  const grants = request.grants ?? [];
  const revokes = request.revokes ?? [];
  if (grants.length === 0 && revokes.length === 0) return { granted: [], extended: [], revoked: [] };
  const org = request.organizationId;
  const accounts = [...new Set(grants.map((g) => g.accountId))];
  const current = request.current ?? (await findAssignments(tx, org, accounts));
  const decision = decideAccess(request, new Map(current.map((a) => [keyOf(a), a])), ctx);
  const roleIds = [...decision.write.map((w) => w.roleId), ...revokes.map((r) => r.assignment.roleId)];
  const known = request.roleKeys && roleIds.every((id) => request.roleKeys!.has(id));
  const [written, revoked, roleKeys] = await Promise.all([
    upsertAssignments(tx, decision.write),
    deleteAssignments(tx, org, [...new Set(revokes.map((r) => r.assignment.id))]),
    known ? request.roleKeys! : findRoleKeys(tx, org, roleIds),
  ]);
  const result: AccessResult = { granted: [], extended: [], revoked };
  for (const row of written) {
    const { kind, previous, reason } = decision.kinds.get(keyOf(row))!;
    result[kind].push(row);
    ctx.record(kind === 'granted' ? grantedEvent(org, row, roleKeys, reason, ctx) : { ...grantedEvent(org, row, roleKeys, reason, ctx), action: 'role.expiry_changed', data: { ...roleData(row, roleKeys, reason), previousExpiresAt: previous?.toISOString() ?? null } });
  }
  const reasons = new Map(revokes.map((r) => [r.assignment.id, r.reason ?? null]));
  for (const row of revoked) {
    ctx.record({ organizationId: org, actor: ctx.actor, action: 'role.revoked', target: { type: 'account', id: row.accountId }, data: roleData(row, roleKeys, reasons.get(row.id) ?? null) });
  }
  return result;
}

/**
 * The gate's set-based revoke, for the role-expiry job: up to `limit` of the organization's grants
 * whose end has passed (expires_at <= ctx.now) are deleted in one statement and audited
 * `role.expired` in this unit of work (one multi-row insert), so a batch commits whole or not at
 * all. Returns what it revoked; fewer than `limit`: none is left.
 */
export async function revokeExpiredGrants(tx: Tx, input: { organizationId: string; limit: number; runId: string }, ctx: CommandContext): Promise<AssignmentRow[]> {
  const org = input.organizationId;
  const revoked = await deleteExpiredAssignments(tx, org, ctx.now, input.limit);
  const roleKeys = await findRoleKeys(tx, org, revoked.map((r) => r.roleId));
  for (const row of revoked) {
    const data = { ...roleData(row, roleKeys, null), expiresAt: row.expiresAt!.toISOString(), runId: input.runId };
    ctx.record({ organizationId: org, actor: ctx.actor, action: 'role.expired', target: { type: 'account', id: row.accountId }, data });
  }
  return revoked;
}

const roleData = (a: Omit<AssignmentRow, 'id'>, roleKeys: Map<string, string>, reason: string | null) => ({
  roleId: a.roleId,
  roleKey: roleKeys.get(a.roleId) ?? null,
  source: a.source,
  sourceRef: a.sourceRef,
  expiresAt: a.expiresAt?.toISOString() ?? null,
  reason,
});

/** The audit event of a grant the gate decided (also for grants written with a new account). */
export function grantedEvent(organizationId: string, a: Omit<AssignmentRow, 'id'>, roleKeys: Map<string, string>, reason: string | null, ctx: Pick<CommandContext, 'actor'>): AuditInput {
  return { organizationId, actor: ctx.actor, action: 'role.granted', target: { type: 'account', id: a.accountId }, data: roleData(a, roleKeys, reason) };
}
