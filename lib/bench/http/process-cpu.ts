import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time the processes of an HTTP bench round used, from /proc (Linux; elsewhere every figure is
 * null): the server under test, the load generator and PostgreSQL (the postmaster, the backends it
 * has reaped and those still running), so a figure's cost splits into Node and the database.
 * Figures are user + system time in ms, at the kernel's clock-tick resolution (10 ms on Linux):
 * read them over rounds of thousands of requests, never one.
 */
/** One number (or null) per process of a round: their pids (`CpuSources`), or their CPU ms at a moment (`CpuSample`). */
type PerProcess = { server: number | null; loadGenerator: number | null; postgres: number | null };
export type CpuSources = PerProcess;
export type CpuSample = PerProcess;
export type CpuPerRequest = { serverMs: number | null; postgresMs: number | null; loadGeneratorMs: number | null };

let tickMs: number | null | undefined;
function msPerTick(): number | null {
  if (tickMs !== undefined) return tickMs;
  const ticks = process.platform === 'linux' ? Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) : NaN;
  tickMs = Number.isFinite(ticks) && ticks > 0 ? 1000 / ticks : null;
  return tickMs;
}

type Stat = { ppid: number; self: number; children: number };

function stat(pid: number | string): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state ppid … utime(11) stime(12) cutime(13) cstime(14).
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), self: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

/** A process's CPU ms with the children it has waited for; null when it cannot be read. */
export function processCpuMs(pid: number | null): number | null {
  const tick = msPerTick();
  const s = pid === null || tick === null ? null : stat(pid);
  return s && tick !== null ? (s.self + s.children) * tick : null;
}

/** A PostgreSQL server's CPU ms: its postmaster, every exited child it reaped, every live child. */
export function postgresCpuMs(postmasterPid: number | null): number | null {
  const tick = msPerTick();
  const own = postmasterPid === null || tick === null ? null : stat(postmasterPid);
  if (!own || tick === null) return null;
  let ticks = own.self + own.children;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = stat(entry);
    if (child?.ppid === postmasterPid) ticks += child.self;
  }
  return ticks * tick;
}

export function sampleCpu(sources: CpuSources): CpuSample {
  return { server: processCpuMs(sources.server), loadGenerator: processCpuMs(sources.loadGenerator), postgres: postgresCpuMs(sources.postgres) };
}

/** CPU ms per request from two readings of one process taken around `requests` requests (null when either is unknown). */
export function perRequest(before: number | null, after: number | null, requests: number): number | null {
  return before === null || after === null || requests === 0 ? null : Number(((after - before) / requests).toFixed(3));
}

/** CPU ms per request between two samples taken around `requests` requests. */
export function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number): CpuPerRequest {
  return {
    serverMs: perRequest(before.server, after.server, requests),
    postgresMs: perRequest(before.postgres, after.postgres, requests),
    loadGeneratorMs: perRequest(before.loadGenerator, after.loadGenerator, requests),
  };
}
