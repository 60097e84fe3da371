import http from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * The HTTP load generator, a process of its own (forked by lib/bench/http/load.ts), so the server
 * and the client never share an event loop or a core's time slice in one process. It runs the
 * requests it is sent with at most `concurrency` in flight over keep-alive connections (node:http,
 * one agent per server, its sockets reused across runs), times each from write to the last byte of
 * the answer, and checks the status.
 */
export type LoadRequest = { method: string; path: string; body?: string };
/** `baseUrl` is a prefix: each request's path is appended to it (`…/api/scim/v2` + `/Users`). */
export type LoadRun = { id: number; baseUrl: string; concurrency: number; headers: Record<string, string>; expect: number; requests: LoadRequest[] };
export type LoadAnswer = { id: number; latenciesMs: number[]; wallMs: number } | { id: number; error: string };

const agents = new Map<string, http.Agent>();
const agentFor = (baseUrl: string) => {
  let agent = agents.get(baseUrl);
  if (!agent) agents.set(baseUrl, (agent = new http.Agent({ keepAlive: true, maxSockets: 256 })));
  return agent;
};

function send(agent: http.Agent, url: URL, request: LoadRequest, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const req = http.request(url, { method: request.method, agent, headers: body ? { ...headers, 'content-length': String(body.length) } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.once('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.once('error', reject);
    req.end(body);
  });
}

async function run(job: LoadRun): Promise<LoadAnswer> {
  const agent = agentFor(job.baseUrl);
  const latenciesMs = new Array<number>(job.requests.length);
  let next = 0;
  let failure: string | undefined;
  const worker = async () => {
    while (!failure && next < job.requests.length) {
      const index = next++;
      const request = job.requests[index]!;
      const started = performance.now();
      try {
        const answer = await send(agent, new URL(`${job.baseUrl}${request.path}`), request, job.headers);
        if (answer.status !== job.expect) {
          failure ??= `${request.method} ${request.path}: expected ${job.expect}, got ${answer.status} ${answer.text.slice(0, 500)}`;
          return;
        }
      } catch (error) {
        failure ??= `${request.method} ${request.path}: ${error instanceof Error ? error.message : String(error)}`;
        return;
      }
      latenciesMs[index] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.max(1, Math.min(job.concurrency, job.requests.length)) }, worker));
  const wallMs = performance.now() - started;
  return failure ? { id: job.id, error: failure } : { id: job.id, latenciesMs, wallMs };
}

process.on('message', (job: LoadRun) => {
  void run(job).then((answer) => process.send?.(answer));
});
process.on('disconnect', () => process.exit(0));
