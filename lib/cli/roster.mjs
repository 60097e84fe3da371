#!/usr/bin/env node
// `npx roster …`: runs lib/cli/main.ts with this project's tsx, from any working directory.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const tsconfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));
// Resolved from this file, so the project's own tsx is used whatever the cwd.
const loader = import.meta.resolve('tsx');

const child = spawn(process.execPath, ['--import', loader, main, ...process.argv.slice(2)], {
  stdio: 'inherit',
  // The `@/` imports need the project's tsconfig even when cwd is elsewhere.
  env: { ...process.env, TSX_TSCONFIG_PATH: process.env.TSX_TSCONFIG_PATH ?? tsconfig },
});

// Ctrl-C reaches the child through the terminal; a plain kill is passed on, so it can clean up.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', (error) => {
  process.stderr.write(`roster: could not start: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal === 'SIGINT' ? 130 : 1));
});
