import { fork } from 'node:child_process';
import path from 'node:path';

/** Starts lib/bench/http/floor-server.ts; resolves with its URL and a stop. */
export function startFloorServer(): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const child = fork(path.join(import.meta.dirname, 'floor-server.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve({ baseUrl: `http://127.0.0.1:${message.port}`, stop }));
    child.once('exit', (code) => reject(new Error(`floor server exited (${code})`)));
  });
}
