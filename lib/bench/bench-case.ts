import type { Database } from '@/db';
import type { Figures } from './measure';

/** One row of the report: an operation measured at one concurrency. */
/**
 * `inProcess`: the same scenario without the route layer (scim-http: handleScimRequest in the bench's
 * process); `ofCeilingPct`: the figure's rate as a percentage of the same run's raw-statement ceiling.
 */
/** `cpuMsPerRequest`: CPU per request of the processes involved (scim-http; lib/bench/http/process-cpu.ts). */
/**
 * `rounds`: how many measured rounds a figure is the median of (each percentile's median, per round);
 * `pooled`: the percentiles over every round's requests together, and `roundsP99Ms` each round's p99,
 * so a tail that one noisy stretch of the machine decided stays visible beside the median.
 */
export type BenchResult = Figures & {
  case: string;
  scenario: string;
  inProcess?: Figures;
  ofCeilingPct?: number;
  cpuMsPerRequest?: Record<string, number | null>;
  rounds?: number;
  pooled?: { p95Ms: number; p99Ms: number };
  roundsP99Ms?: number[];
};

/**
 * `dormancyMillion`: the dormancy case also runs over 1M accounts (--dormancy-1m; minutes of seeding).
 * `reconcileSizes`: the organization sizes (accounts, and rows of the HR export) of the reconcile case
 * (--reconcile-sizes 100000 for the quick one; default 100k and 1M).
 * `scimHttpSizes`: users stored for the scim-http case (--scim-http-sizes 10000,100000,1000000; default 100k);
 * `noBuild`: serve .next as it is (--no-build); `scimHttpProfile`: also CPU-profile the server into that folder;
 * `scimHttpNext`: serve with plain `next start` (SCIM through the Next route) instead of server.ts, for comparison.
 */
export type BenchOptions = {
  count: number;
  warmup: number;
  concurrencies: number[];
  dormancyMillion?: boolean;
  reconcileSizes?: number[];
  scimHttpSizes?: number[];
  noBuild?: boolean;
  scimHttpProfile?: string;
  scimHttpNext?: boolean;
};

export type BenchContext = {
  options: BenchOptions;
  /** A pool of `max` connections to the bench database; close it when done. */
  connect: (max: number) => { db: Database; close: () => Promise<void> };
  /** The bench database's URL (for cases that run a process of their own against it, e.g. the CLI). */
  url: string;
  /** The embedded PostgreSQL's postmaster pid (its CPU is read from /proc), null for DATABASE_URL's server. */
  postgresPid: number | null;
  /** Progress for people; the report itself is printed by run.ts. */
  log: (line: string) => void;
};

/** A benchmark: sets up its own data in the (fresh) bench database and measures real code paths. */
export type BenchCase = { name: string; description: string; run: (ctx: BenchContext) => Promise<BenchResult[]> };
