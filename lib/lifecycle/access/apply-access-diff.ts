import type { Tx } from '@/db';
import type { AssignmentRow } from '@/db/queries/role-assignments';
import type { AuditInput } from '@/lib/audit/record-event';
import type { CommandContext } from '../context';
import { changeAccess, type Grant } from './gate';

/** Rows per gate call: one unit of work, statements of bounded size. */
const GATE_CHUNK = 5_000;

/** A change's diff as its SQL computes it (db/queries/rule-diff.ts, group-role-diff.ts): who gets the role, which assignments go. */
export type AccessDiff = { grantTo: string[]; revoke: AssignmentRow[]; current: AssignmentRow[] };

/**
 * Applies a role change to many accounts at once (a birthright rule saved, a group mapped to a role):
 * every grant and revoke through the gate (lib/lifecycle/access/gate.ts), in chunks, each
 * `role.granted` / `role.revoked` event carrying the change's run id.
 */
export async function applyAccessDiff(
  tx: Tx,
  input: { organizationId: string; diff: AccessDiff; grant: Omit<Grant, 'accountId'> | null; roleKeys: Map<string, string>; runId: string },
  ctx: CommandContext,
): Promise<{ granted: number; revoked: number }> {
  const { organizationId, diff, grant, roleKeys } = input;
  const command: CommandContext = { ...ctx, record: (event) => ctx.record(withRunId(event, input.runId)) };
  const currentOf = new Map(diff.current.map((a) => [a.accountId, a]));
  let granted = 0;
  let revoked = 0;
  for (let start = 0; start < Math.max(diff.grantTo.length, diff.revoke.length); start += GATE_CHUNK) {
    const accounts = diff.grantTo.slice(start, start + GATE_CHUNK);
    const grants = grant ? accounts.map((accountId) => ({ accountId, ...grant })) : [];
    const revokes = diff.revoke.slice(start, start + GATE_CHUNK).map((assignment) => ({ assignment }));
    const current = accounts.flatMap((id) => (currentOf.has(id) ? [currentOf.get(id)!] : []));
    const result = await changeAccess(tx, { organizationId, grants, revokes, current, roleKeys }, command);
    granted += result.granted.length;
    revoked += result.revoked.length;
  }
  return { granted, revoked };
}

function withRunId(event: AuditInput, runId: string): AuditInput {
  if (event.action === 'role.granted' || event.action === 'role.revoked') return { ...event, data: event.data && { ...event.data, runId } };
  return event;
}
