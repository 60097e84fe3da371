import { performance } from 'node:perf_hooks';

/** What one measured run of an operation produced. */
export type Sample = { latenciesMs: number[]; wallMs: number };

export type Figures = {
  count: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
};

/**
 * Runs `task(0) … task(count - 1)` with at most `concurrency` in flight, timing each call.
 * The first failure stops new calls and is rethrown once those in flight have settled.
 */
export async function runBounded(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<Sample> {
  const latenciesMs = new Array<number>(count);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < count) {
      const index = next++;
      const started = performance.now();
      try {
        await task(index);
      } catch (error) {
        failure ??= { error };
        return;
      }
      latenciesMs[index] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  const wallMs = performance.now() - started;
  if (failure) throw failure.error;
  return { latenciesMs, wallMs };
}

/** Nearest-rank percentile (p in 0–100) of ascending values; 0 for none. */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length, Math.max(rank, 1)) - 1]!;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

export function summarize(sample: Sample, concurrency: number): Figures {
  const sorted = [...sample.latenciesMs].sort((a, b) => a - b);
  const seconds = sample.wallMs / 1000;
  return {
    count: sorted.length,
    concurrency,
    seconds: round(seconds, 3),
    perSecond: round(seconds > 0 ? sorted.length / seconds : 0, 1),
    p50Ms: round(percentile(sorted, 50), 2),
    p95Ms: round(percentile(sorted, 95), 2),
    p99Ms: round(percentile(sorted, 99), 2),
    meanMs: round(sorted.reduce((sum, v) => sum + v, 0) / Math.max(sorted.length, 1), 2),
    maxMs: round(sorted.at(-1) ?? 0, 2),
  };
}

/** Warms up, then measures: the warm-up calls get indexes of their own and are not timed. */
export async function measure(
  options: { count: number; warmup: number; concurrency: number },
  task: (index: number, phase: 'warmup' | 'measure') => Promise<void>,
): Promise<Figures> {
  if (options.warmup > 0) await runBounded(options.warmup, options.concurrency, (i) => task(i, 'warmup'));
  return summarize(await runBounded(options.count, options.concurrency, (i) => task(i, 'measure')), options.concurrency);
}
