import type { NextRequest } from 'next/server';
import { getDb } from '@/db';
import { consoleRequestUser } from '@/lib/auth/console-request';
import { invalidAuditListParams, parseAuditListParams } from '@/lib/console/audit-list-params';
import { csvHeaders } from '@/lib/console/csv';
import { auditCsv } from '@/lib/console/exports';

/** Every audit event the log's filter matches, as CSV, newest first, streamed. */
export async function GET(request: NextRequest) {
  const who = await consoleRequestUser();
  if (who.status !== 200) return new Response(who.status === 401 ? 'Sign in first.' : 'Only administrators and auditors can export the audit log.', { status: who.status });
  const invalid = invalidAuditListParams(request.nextUrl.searchParams);
  if (invalid.length) return new Response(`The export was refused: its filter is not valid (${invalid.join('; ')}). Export from the page to get exactly its filter.\n`, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const params = parseAuditListParams(Object.fromEntries(request.nextUrl.searchParams));
  const day = new Date().toISOString().slice(0, 10);
  return new Response(auditCsv(getDb(), who.user.organizationId, params.query), { headers: csvHeaders(`audit-${who.user.organizationSlug}-${day}.csv`) });
}
