#!/usr/bin/env node
// `npx roster …`: runs lib/cli/main.ts from any working directory.
//
// Fast path: main.ts and the project modules it reaches, bundled once by esbuild (tsx's own) into
// .roster/cli/ (node_modules stay external; one chunk per command module, loaded when called) and
// imported in this process: no TypeScript loader, no second process. The bundle is rebuilt when any
// of its inputs changed (their mtimes are kept beside it). Should bundling fail for any reason, the
// command runs as before, through tsx in a child process.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const tsconfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));
const outRoot = path.join(root, '.roster', 'cli');
const stampFile = path.join(outRoot, 'current.json');
/** Bump when the build below changes. */
const RECIPE = 1;

function currentBuild() {
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
    if (stamp.recipe !== RECIPE) return null;
    for (const [file, mtime] of Object.entries(stamp.inputs)) if (statSync(path.join(root, file)).mtimeMs !== mtime) return null;
    return path.join(outRoot, stamp.dir, 'main.mjs');
  } catch {
    return null;
  }
}

/** The file's own directory and URL for import.meta.dirname / filename / url, which a bundle would otherwise change. */
const importMetaPlugin = {
  name: 'import-meta-of-source',
  setup(build) {
    build.onLoad({ filter: /\.(ts|mts|tsx)$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      const contents = source
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

async function build() {
  const esbuild = createRequire(import.meta.resolve('tsx'))('esbuild');
  const dir = `build-${Date.now()}-${process.pid}`;
  const result = await esbuild.build({
    entryPoints: [main],
    outdir: path.join(outRoot, dir),
    entryNames: '[name]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    tsconfig,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    logLevel: 'silent',
    plugins: [importMetaPlugin],
  });
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs), 'tsconfig.json', 'package.json', 'lib/cli/roster.mjs']) {
    const relative = path.relative(root, path.resolve(root, file));
    inputs[relative] = statSync(path.join(root, relative)).mtimeMs;
  }
  const temp = `${stampFile}.${process.pid}`;
  writeFileSync(temp, JSON.stringify({ recipe: RECIPE, dir, inputs }));
  renameSync(temp, stampFile);
  // Older builds go, but not the one before (a command started on it may still load its chunks).
  const builds = readdirSync(outRoot).filter((name) => name.startsWith('build-') && name !== dir).sort();
  for (const old of builds.slice(0, -1)) rmSync(path.join(outRoot, old), { recursive: true, force: true });
  return path.join(outRoot, dir, 'main.mjs');
}

async function bundled() {
  const existing = currentBuild();
  if (existing) return existing;
  try {
    mkdirSync(outRoot, { recursive: true });
    return await build();
  } catch {
    return null;
  }
}

function viaTsx() {
  const loader = import.meta.resolve('tsx');
  const child = spawn(process.execPath, ['--import', loader, main, ...process.argv.slice(2)], {
    stdio: 'inherit',
    // The `@/` imports need the project's tsconfig even when cwd is elsewhere.
    env: { ...process.env, TSX_TSCONFIG_PATH: process.env.TSX_TSCONFIG_PATH ?? tsconfig },
  });
  // Ctrl-C reaches the child through the terminal; a plain kill is passed on, so it can clean up.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    process.stderr.write(`roster: could not start: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
}

const entry = process.env.ROSTER_CLI_TSX === '1' ? null : await bundled();
if (entry) await import(pathToFileURL(entry).href);
else viaTsx();
