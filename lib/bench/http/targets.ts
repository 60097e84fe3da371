import type { Database } from '@/db';
import { handleScimRequest } from '@/lib/scim/handle-request';
import { runBounded, type Sample } from '../measure';
import type { LoadGenerator, LoadRequest } from './load';

/**
 * Where a scenario's requests go: over HTTP to a server (the load generator's process), or in
 * process to handleScimRequest (what the route calls), so the route layer's cost is the difference.
 */
export type Target = { run: (requests: LoadRequest[], concurrency: number, expect: number) => Promise<Sample> };

export const scimHeaders = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' });

export function httpTarget(load: LoadGenerator, baseUrl: string, token: string): Target {
  const headers = scimHeaders(token);
  return { run: (requests, concurrency, expect) => load.run({ baseUrl, concurrency, headers, expect, requests: requests.map((r) => ({ ...r, path: `/api/scim/v2${r.path}` })) }) };
}

export function inProcessTarget(db: Database, token: string): Target {
  const headers = scimHeaders(token);
  return {
    run: (requests, concurrency, expect) =>
      runBounded(requests.length, concurrency, async (i) => {
        const request = requests[i]!;
        const [pathname, query] = request.path.split('?');
        const response = await handleScimRequest(db, {
          method: request.method,
          path: pathname!,
          query: new URLSearchParams(query ?? ''),
          headers,
          body: request.body ?? null,
          baseUrl: 'http://127.0.0.1/api/scim/v2',
        });
        if (response.status !== expect) throw new Error(`in process ${request.method} ${request.path}: expected ${expect}, got ${response.status} ${JSON.stringify(response.body)}`);
      }),
  };
}
