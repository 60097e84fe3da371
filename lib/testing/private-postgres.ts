import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@/db/embedded';

/**
 * A real embedded PostgreSQL of a test's own (its own data folder and port), for tests that stop,
 * kill and restart it: never the shared test server. initdb takes a few seconds.
 */
export type PrivatePostgres = { first: EmbeddedDatabase; start: () => Promise<EmbeddedDatabase>; remove: () => void };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const root = mkdtempSync(path.join(tmpdir(), 'roster-pg-'));
  chmodSync(root, 0o755); // as root, the server runs as the OS user "postgres", which must reach its data folder
  const port = await freePort();
  const start = () => startEmbeddedPostgres({ root, port });
  return { first: await start(), start, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Polls `check` until it is true; the time that took, or a throw after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, stepMs = 50): Promise<number> {
  const started = Date.now();
  while (!(await check().catch(() => false))) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return Date.now() - started;
}
