import type { Tx } from '@/db';
import { insertAuditEvents } from '@/db/queries/audit-events';
import type { ActorType, NewAuditEvent } from '@/db/schema';
import type { AuditAction, AuditEventData } from './events';

/** Who did it: an end user at login, an admin, the IdP over SCIM, the CLI, or the system (jobs). */
export type Actor = { type: ActorType; id?: string | null; requestId?: string | null; ip?: string | null };

type EventOf<A extends AuditAction> = {
  organizationId: string | null;
  actor: Actor;
  action: A;
  target?: { type: string; id: string } | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  data?: AuditEventData[A] | null;
};

/** One audit event: its `data` is typed by its action (lib/audit/events.ts). */
export type AuditInput = { [A in AuditAction]: EventOf<A> }[AuditAction];

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

/**
 * Appends audit events in one statement, for writers outside a lifecycle unit of work (SCIM tokens,
 * connections, organizations). Lifecycle commands record through their CommandContext instead.
 */
export async function recordEvents(tx: Tx, events: AuditInput[]) {
  await insertAuditEvents(tx, events.map(toAuditRow));
}

export async function recordEvent(tx: Tx, event: AuditInput) {
  await recordEvents(tx, [event]);
}
