import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

/** The secrets a local checkout needs, and how to make each. */
const GENERATED_SECRETS = {
  NEXTAUTH_SECRET: () => randomBytes(48).toString('base64'),
  ROSTER_ENCRYPTION_KEY: () => randomBytes(32).toString('base64'),
} as const;

const HEADER = '# Local secrets for this checkout, written by `npm run dev`. Gitignored: never commit them.\n';

/**
 * Adds the secrets that are neither in `.env.local` nor in the environment (never overwriting a
 * value), then loads `.env.local` into process.env; variables already set in the environment win.
 * With `generate: false` (production) it only loads: there, secrets are the operator's to provide.
 */
export function prepareLocalEnv(root: string, options: { generate: boolean }): { file: string; generated: string[] } {
  const file = path.join(root, '.env.local');
  const content = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const present = parseEnv(content);
  const generated = options.generate
    ? (Object.keys(GENERATED_SECRETS) as (keyof typeof GENERATED_SECRETS)[]).filter((key) => !present[key] && !process.env[key])
    : [];
  if (generated.length > 0) {
    const lines = generated.map((key) => `${key}=${GENERATED_SECRETS[key]()}\n`).join('');
    const prefix = content === '' ? HEADER : content.endsWith('\n') ? '' : '\n';
    appendFileSync(file, prefix + lines, { mode: 0o600 });
  }
  if (existsSync(file)) process.loadEnvFile(file);
  return { file, generated };
}
