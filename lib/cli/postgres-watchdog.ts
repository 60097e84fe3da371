import type { EmbeddedDatabase } from '@/db/embedded';

/**
 * The launcher's embedded PostgreSQL, kept running: every `intervalMs` it checks that the
 * postmaster still exists; when it is gone (killed, crashed, OOM), it says so and starts it again
 * on the same data folder and port, retrying until that works. The app's connection pool needs
 * nothing: it reconnects by itself (db/index.ts), and meanwhile answers 503.
 */
export type Watchdog = {
  /** The server now running (the latest restart's). */
  current: () => EmbeddedDatabase;
  /** Stops watching, then the server. */
  stop: () => Promise<void>;
};

export type WatchdogOptions = {
  start: () => Promise<EmbeddedDatabase>;
  log: (line: string) => void;
  intervalMs?: number;
  /** Pause between failed restart attempts (a killed server's backends may still hold its shared memory). */
  retryMs?: number;
};

export function watchEmbeddedPostgres(first: EmbeddedDatabase, options: WatchdogOptions): Watchdog {
  let current = first;
  let stopped = false;
  let restarting: Promise<void> | null = null;

  const restart = async () => {
    options.log(`[roster] embedded PostgreSQL (pid ${current.pid ?? '?'}) has stopped; restarting it`);
    for (let attempt = 1; !stopped; attempt++) {
      try {
        current = await options.start();
        options.log(`[roster] embedded PostgreSQL is running again (pid ${current.pid ?? '?'}, port ${current.port})`);
        return;
      } catch (error) {
        options.log(`[roster] restarting embedded PostgreSQL failed (attempt ${attempt}): ${error instanceof Error ? error.message : 'no reason given'}`);
        await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 1000));
      }
    }
  };

  const timer = setInterval(() => {
    if (stopped || restarting || current.alive()) return;
    restarting = restart().finally(() => (restarting = null));
  }, options.intervalMs ?? 1000);
  timer.unref();

  return {
    current: () => current,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await restarting;
      await current.stop();
    },
  };
}
