import type { Tx } from '@/db';
import { insertAuditEvent, insertAuditEvents } from '@/db/queries/audit-events';
import type { ActorType, NewAuditEvent } from '@/db/schema';

/** Who did it: an end user at login, an admin, the IdP over SCIM, the CLI, or the system (jobs). */
export type Actor = { type: ActorType; id?: string | null; requestId?: string | null; ip?: string | null };

export type AuditInput = {
  organizationId: string | null;
  actor: Actor;
  action: string;
  target?: { type: string; id: string } | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  data?: Record<string, unknown> | null;
};

/** The row an event is stored as (for queries that insert events inside a larger statement). */
export function toAuditRow(event: AuditInput): NewAuditEvent {
  return {
    organizationId: event.organizationId,
    actorType: event.actor.type,
    actorId: event.actor.id ?? null,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    before: event.before ?? null,
    after: event.after ?? null,
    data: event.data ?? null,
    requestId: event.actor.requestId ?? null,
    ip: event.actor.ip ?? null,
  };
}

/** Appends one audit event in the caller's transaction, so it commits with the change or not at all. */
export async function recordEvent(tx: Tx, event: AuditInput) {
  return insertAuditEvent(tx, toAuditRow(event));
}

/** Appends several events in the caller's transaction, in one statement per thousand. */
export async function recordEvents(tx: Tx, events: AuditInput[]) {
  await insertAuditEvents(tx, events.map(toAuditRow));
}
