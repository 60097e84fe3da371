import type { Tx } from '@/db';
import { streamConsoleAccounts, type ConsoleAccountRow, type ConsoleAccountSelection } from '@/db/queries/console-accounts';
import { streamConsoleAuditEvents, type ConsoleAuditEvent, type ConsoleAuditQuery } from '@/db/queries/console-audit';
import { csvStream, type CsvColumn } from './csv';

/**
 * The console's two CSV exports, each the list's own filter streamed (db/queries/console-*.ts):
 * every matching account in the list's order, or every matching audit event newest first.
 */
export const accountCsvColumns: CsvColumn<ConsoleAccountRow>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'user_name', value: (r) => r.userName },
  { header: 'email', value: (r) => r.email },
  { header: 'display_name', value: (r) => r.displayName },
  { header: 'department', value: (r) => r.department },
  { header: 'title', value: (r) => r.title },
  { header: 'status', value: (r) => r.status },
  { header: 'source', value: (r) => r.source },
  { header: 'last_sign_in', value: (r) => r.lastLoginAt },
  { header: 'created', value: (r) => r.createdAt },
];

export const auditCsvColumns: CsvColumn<ConsoleAuditEvent>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'time', value: (r) => r.createdAt },
  { header: 'actor_type', value: (r) => r.actorType },
  { header: 'actor_id', value: (r) => r.actorId },
  { header: 'actor', value: (r) => r.actorName },
  { header: 'action', value: (r) => r.action },
  { header: 'target_type', value: (r) => r.targetType },
  { header: 'target_id', value: (r) => r.targetId },
  { header: 'target', value: (r) => r.targetName },
  { header: 'data', value: (r) => r.data },
  { header: 'before', value: (r) => r.before },
  { header: 'after', value: (r) => r.after },
  { header: 'ip', value: (r) => r.ip },
  { header: 'request_id', value: (r) => r.requestId },
];

export function accountsCsv(db: Tx, organizationId: string, query: ConsoleAccountSelection): ReadableStream<Uint8Array> {
  return csvStream(streamConsoleAccounts(db, organizationId, query, 2000), accountCsvColumns);
}

export function auditCsv(db: Tx, organizationId: string, query: Omit<ConsoleAuditQuery, 'limit' | 'cursor' | 'direction'>): ReadableStream<Uint8Array> {
  return csvStream(streamConsoleAuditEvents(db, organizationId, query, 1000), auditCsvColumns);
}
