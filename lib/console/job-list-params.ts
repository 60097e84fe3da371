import { z } from 'zod';
import { jobRunStatusEnum } from '@/db/schema';
import { isUuid } from '@/lib/ids';

/** The job runs page's URL (?job=…&status=…&older=<run id>), parsed; a bad value is dropped, as on the audit page. */
const schema = z.object({
  job: z.string().trim().max(100).regex(/^[a-z0-9-]+$/).optional().catch(undefined),
  status: z.enum(jobRunStatusEnum.enumValues).optional().catch(undefined),
  older: z.string().refine(isUuid).optional().catch(undefined),
});

export type JobListParams = z.infer<typeof schema>;

export function parseJobListParams(raw: Record<string, string | string[] | undefined>): JobListParams {
  return schema.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
}

/** The filter as a query string (without the cursor unless given), for links. */
export function jobFilterSearch(params: JobListParams, extra: Record<string, string | undefined> = {}): string {
  const entries = Object.entries({ job: params.job, status: params.status, ...extra });
  return new URLSearchParams(entries.filter((e): e is [string, string] => Boolean(e[1]))).toString();
}
