import { startJobEngine, type JobEngine } from '@/lib/jobs/engine';
import { loadProjectEnv, openDatabase, redactUrl, type OpenDatabase } from './open-database';
import { onStopSignal } from './stop-signals';

/**
 * `npm run worker`: the job workers alone (lib/jobs/engine.ts), for deployments that run web and
 * workers apart (the web instances then set ROSTER_WORKERS=off). Any number may run at once. On
 * SIGINT/SIGTERM it stops taking jobs, lets running ones finish, and exits.
 */
let open: OpenDatabase | undefined;
let engine: JobEngine | undefined;
let stopping = false;

async function main(): Promise<void> {
  onStopSignal(() => void stop(0));
  loadProjectEnv();
  open = await openDatabase({ max: 4 });
  if (stopping) return;
  engine = await startJobEngine({ url: open.url, db: open.db });
  process.stdout.write(`Roster workers: ${engine.definitions.map((d) => d.name).join(', ')} on ${redactUrl(open.url)}. Ctrl-C stops.\n`);
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    await engine?.stop();
    await open?.close();
  } catch (error) {
    process.stderr.write(`While stopping: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(code);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  void stop(1);
});
