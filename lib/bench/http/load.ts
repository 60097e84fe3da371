import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Sample } from '../measure';
import type { LoadAnswer, LoadRequest, LoadRun } from './load-generator';

export type { LoadRequest } from './load-generator';

/** The load generator process (lib/bench/http/load-generator.ts): `run` sends it requests and resolves with their timings. */
export type LoadGenerator = {
  run: (options: { baseUrl: string; concurrency: number; headers?: Record<string, string>; expect: number; requests: LoadRequest[] }) => Promise<Sample>;
  stop: () => Promise<void>;
  /** The generator's process (its CPU is read from /proc). */
  pid: number | null;
};

export function startLoadGenerator(): LoadGenerator {
  const child: ChildProcess = fork(path.join(import.meta.dirname, 'load-generator.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (sample: Sample) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (answer: LoadAnswer) => {
    const waiter = pending.get(answer.id);
    pending.delete(answer.id);
    if ('error' in answer) waiter?.reject(new Error(`load generator: ${answer.error}`));
    else waiter?.resolve({ latenciesMs: answer.latenciesMs, wallMs: answer.wallMs });
  });
  child.once('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`load generator exited (${code})`));
    pending.clear();
  });
  return {
    pid: child.pid ?? null,
    run({ baseUrl, concurrency, headers = {}, expect, requests }) {
      const job: LoadRun = { id: nextId++, baseUrl, concurrency, headers, expect, requests };
      return new Promise((resolve, reject) => {
        pending.set(job.id, { resolve, reject });
        child.send(job);
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.disconnect();
        await exited;
      }
    },
  };
}
