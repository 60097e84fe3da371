import { sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { databaseHealth } from '@/lib/http/health';

export const dynamic = 'force-dynamic';

/** Liveness and readiness: 200 when the database answers, 503 (within two seconds) otherwise. */
export async function GET() {
  const health = await databaseHealth(() => getDb().execute(sql`select 1`));
  if (health.ok) return Response.json({ status: 'ok', database: 'ok', latencyMs: health.latencyMs });
  return Response.json({ status: 'error', database: health.reason }, { status: 503, headers: { 'Retry-After': '5' } });
}
