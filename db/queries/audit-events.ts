import { and, desc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import { auditEvents, type NewAuditEvent } from '@/db/schema';
import { builtOnce, clientOf } from './built-once';
import { step } from './pipelined';
import { byColumnName, columnList, preparedWrite } from './json-rows';

/** The columns an event is written with (the id and time take their defaults). */
export const AUDIT_COLUMNS = ['organizationId', 'actorType', 'actorId', 'action', 'targetType', 'targetId', 'before', 'after', 'data', 'requestId', 'ip'] as const satisfies (keyof NewAuditEvent)[];

/** Events in one statement, in the order given (ids follow it), whatever their number. */
export async function insertAuditEvents(db: Tx, events: NewAuditEvent[]) {
  if (events.length === 0) return;
  // JSON goes as text: drizzle's postgres-js driver turns off postgres.js's own JSON serializing.
  await eventsInsert(db).execute({ events: JSON.stringify(events.map((e) => byColumnName(auditEvents, e, AUDIT_COLUMNS))) });
}

/**
 * The same insert, sent on the transaction's connection now and not awaited here, so that the
 * COMMIT the caller's transaction sends next goes in the same round trip (lib/lifecycle/context.ts).
 * postgres.js writes a connection's queries in the order they are executed: this one is executed
 * (queued) before the caller returns, the COMMIT only after. If the insert fails, the transaction is
 * aborted and its COMMIT is a rollback: the returned promise rejects with the insert's error, and
 * the caller must await it after the transaction. Null when there is nothing to insert.
 */
export function sendAuditEvents(tx: Tx, events: NewAuditEvent[]): Promise<unknown> | null {
  if (events.length === 0) return null;
  const { text, params } = step(eventsInsert(tx), { events: JSON.stringify(events.map((e) => byColumnName(auditEvents, e, AUDIT_COLUMNS))) });
  const sent = clientOf(tx).unsafe(text, params as never[], { prepare: true }).execute();
  sent.catch(() => undefined); // observed by the caller after the transaction; never unhandled meanwhile
  return sent;
}

const eventsInsert = builtOnce((db) =>
  preparedWrite(
    db,
    'audit_events_insert',
    sql`insert into ${auditEvents} (${columnList(auditEvents, AUDIT_COLUMNS)})
      select ${columnList(auditEvents, AUDIT_COLUMNS, 'e.')} from jsonb_populate_recordset(null::audit_events, ${sql.placeholder('events')}::jsonb) with ordinality e
      order by e.ordinality
      returning 1 as one`,
  ),
);

export type AuditFilter = { targetId?: string; actions?: string[]; beforeId?: number; limit?: number };

/** Newest first; keyset pagination by id. `organizationId` null: the deployment's own trail (events of no organization). */
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

/** One event, and its id (for a page that shows it: a test sign-in's result). */
export async function insertAuditEventReturningId(db: Tx, event: NewAuditEvent): Promise<number> {
  const [row] = await db.insert(auditEvents).values(event).returning({ id: auditEvents.id });
  return row!.id;
}

/** One event of the organization with this action, or null (another organization's, or another action). */
export async function getAuditEventOfAction(db: Tx, organizationId: string, action: string, id: number) {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const [row] = await db
    .select({ id: auditEvents.id, actorId: auditEvents.actorId, targetId: auditEvents.targetId, data: auditEvents.data, createdAt: auditEvents.createdAt })
    .from(auditEvents)
    .where(and(eq(auditEvents.organizationId, organizationId), eq(auditEvents.action, action), eq(auditEvents.id, id)));
  return row ?? null;
}
