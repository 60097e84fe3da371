import { createHash } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { Database } from '@/db';
import { findOrganizations } from '@/db/queries/organizations';
import type { JobDefinition } from './types';

/** The data of a queued job: none for a scheduled tick; the organization (and its tick) for one organization's run. */
export type QueueJobData = { organizationId?: string; tick?: string };

/**
 * A scheduled tick of an organization-scoped job becomes one queued job per organization. Each
 * has an id derived from (job, organization, tick): pg-boss inserts jobs with ON CONFLICT DO NOTHING
 * on (queue, id), so a second fan-out of the same tick (another instance, or a retry of the tick
 * after a partial fan-out) inserts nothing new. (A singletonKey alone would not do it on a
 * `standard` queue in pg-boss 10: its unique index applies only with singletonSeconds, whose slot
 * is taken from the insertion time, so two fan-outs either side of a slot boundary would both go in.)
 * The singletonKey is kept for people reading the queue. Returns how many organizations the tick covers.
 */
export async function fanOut(boss: PgBoss, db: Database, definition: JobDefinition, tick: string, now: Date): Promise<number> {
  const organizationIds = definition.selectOrganizations
    ? await definition.selectOrganizations(db, now)
    : (await findOrganizations(db)).map((o) => o.id);
  const jobs = organizationIds.map((organizationId) => ({
    id: tickJobId(definition.name, organizationId, tick),
    name: definition.name,
    data: { organizationId, tick } satisfies QueueJobData,
    singletonKey: `${organizationId}@${tick}`,
  }));
  for (let i = 0; i < jobs.length; i += 500) await boss.insert(jobs.slice(i, i + 500));
  return jobs.length;
}

/** A UUID (version 5 layout) from the job, organization and tick: the same inputs give the same id on every instance. */
export function tickJobId(job: string, organizationId: string, tick: string): string {
  const bytes = createHash('sha256').update(`roster-job\0${job}\0${organizationId}\0${tick}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
