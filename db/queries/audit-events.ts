import { and, desc, eq, inArray, isNull, lt, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import { auditEvents, type NewAuditEvent } from '@/db/schema';

export async function insertAuditEvent(db: Tx, event: NewAuditEvent) {
  const [row] = await db.insert(auditEvents).values(event).returning({ id: auditEvents.id }).prepare('audit_event_insert').execute();
  return row!;
}

export type AuditFilter = { targetId?: string; actions?: string[]; beforeId?: number; limit?: number };

/**
 * Newest first; keyset pagination by id. `organizationId` null: the deployment's own trail, the
 * events that concern no organization (sign-ins refused for a connection that does not exist).
 */
export async function findAuditEvents(db: Tx, organizationId: string | null, filter: AuditFilter = {}) {
  const where: SQL[] = [organizationId === null ? isNull(auditEvents.organizationId) : eq(auditEvents.organizationId, organizationId)];
  if (filter.targetId) where.push(eq(auditEvents.targetId, filter.targetId));
  if (filter.actions?.length) where.push(inArray(auditEvents.action, filter.actions));
  if (filter.beforeId) where.push(lt(auditEvents.id, filter.beforeId));
  return db
    .select({
      id: auditEvents.id,
      actorType: auditEvents.actorType,
      actorId: auditEvents.actorId,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      before: auditEvents.before,
      after: auditEvents.after,
      data: auditEvents.data,
      requestId: auditEvents.requestId,
      ip: auditEvents.ip,
      createdAt: auditEvents.createdAt,
    })
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(Math.min(filter.limit ?? 50, 500));
}

/** Many events in one statement (e.g. a role mapping change over a large group). */
export async function insertAuditEvents(db: Tx, events: NewAuditEvent[]) {
  if (events.length === 0) return;
  for (let i = 0; i < events.length; i += 1000) await db.insert(auditEvents).values(events.slice(i, i + 1000)).prepare('audit_events_insert').execute();
}
