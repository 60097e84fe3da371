import type { NextRequest } from 'next/server';
import { getDb } from '@/db';
import { consoleRequestUser } from '@/lib/auth/console-request';
import { invalidAccountListParams, parseAccountListParams } from '@/lib/console/account-list-params';
import { csvHeaders } from '@/lib/console/csv';
import { accountsCsv } from '@/lib/console/exports';

/** Every account the list's filter matches, as CSV, streamed (never held in memory whole). */
export async function GET(request: NextRequest) {
  const who = await consoleRequestUser();
  if (who.status !== 200) return new Response(who.status === 401 ? 'Sign in first.' : 'Only administrators and auditors can export accounts.', { status: who.status });
  const invalid = invalidAccountListParams(request.nextUrl.searchParams);
  if (invalid.length) return new Response(`The export was refused: its filter is not valid (${invalid.join('; ')}). Export from the page to get exactly its filter.\n`, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const params = parseAccountListParams(Object.fromEntries(request.nextUrl.searchParams));
  const day = new Date().toISOString().slice(0, 10);
  return new Response(accountsCsv(getDb(), who.user.organizationId, { ...params.filter, sort: params.sort }), { headers: csvHeaders(`accounts-${who.user.organizationSlug}-${day}.csv`) });
}
