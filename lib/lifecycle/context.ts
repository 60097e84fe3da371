import type { Database, Tx } from '@/db';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { insertAuditEvents, sendAuditEvents } from '@/db/queries/audit-events';
import { toAuditRow, type Actor, type AuditInput } from '@/lib/audit/record-event';

/**
 * What every lifecycle command gets besides its input: who acts, the time it acts at (injected, so
 * jobs and tests control the clock), and the audit trail of the unit of work it runs in.
 */
export type CommandContext = {
  actor: Actor;
  now: Date;
  /** Appends an audit event; it is written in this transaction, before it commits, or not at all. */
  record: (event: AuditInput) => void;
};

/**
 * Runs lifecycle commands as one unit of work: one transaction, and the audit events the commands
 * recorded written in one statement at its end, so a change commits with its audit trail or not at
 * all. Every door (sign-in, SCIM, CLI, console, jobs) changes accounts through this.
 *
 * At the top level the events' insert and the COMMIT go to the server together (one round trip,
 * db/queries/audit-events.ts: sendAuditEvents): a failed insert makes the COMMIT a rollback and is
 * thrown here. Nested in a caller's transaction (a savepoint), the insert is awaited inside it, so a
 * failure rolls back to the savepoint as before.
 */
export async function inTransaction<T>(db: Database | Tx, who: { actor: Actor; now?: Date }, work: (tx: Tx, ctx: CommandContext) => Promise<T>): Promise<T> {
  const nested = db instanceof PgTransaction;
  let audit: Promise<unknown> | null = null;
  const result = await db.transaction(async (tx) => {
    const events: AuditInput[] = [];
    const ctx: CommandContext = { actor: who.actor, now: who.now ?? new Date(), record: (event) => void events.push(event) };
    const result = await work(tx, ctx);
    if (nested) await insertAuditEvents(tx, events.map(toAuditRow));
    else audit = sendAuditEvents(tx, events.map(toAuditRow));
    return result;
  });
  await audit;
  return result;
}
