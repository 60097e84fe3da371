import path from 'node:path';
import { z } from 'zod';
import { embeddedPort } from '@/db/embedded';

/** The checkout the launcher belongs to, whatever the working directory. */
export const projectRoot = path.resolve(import.meta.dirname, '../..');

const port = z.coerce.number().int().min(1).max(65535);
const launcherEnv = z.object({
  PORT: port.default(3000),
  HOSTNAME: z.string().min(1).default('localhost'),
  ROSTER_DEMO_IDP_PORT: port.optional(),
  ROSTER_DEMO_SAML_PORT: port.optional(),
  NEXTAUTH_URL: z.string().optional(),
  NODE_ENV: z.string().optional(),
  /** The job workers (lib/jobs/engine.ts) run in the launcher's process unless this is off (then run `npm run worker`). */
  ROSTER_WORKERS: z.enum(['on', 'off'], { message: "must be 'on' or 'off'" }).default('on'),
});

export type DevSettings = {
  production: boolean;
  /** The demo IdP and tenant run only in development, never with NODE_ENV=production. */
  demo: boolean;
  host: string;
  port: number;
  appUrl: string;
  idpPort: number;
  /** The demo SAML IdP: next to the OIDC one unless ROSTER_DEMO_SAML_PORT says otherwise. */
  samlIdpPort: number;
  /** Whether this launcher runs the job workers in-process (ROSTER_WORKERS, default on). */
  workers: boolean;
};

const emptyAsUndefined = (env: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));

/**
 * The launcher's own settings. It reads process.env directly (not lib/env.ts) because it runs
 * before the app's environment exists: it is what writes DATABASE_URL, NEXTAUTH_URL and ROSTER_DEMO.
 */
export function readDevSettings(argv: string[], env: NodeJS.ProcessEnv): DevSettings {
  const production = argv.includes('--production');
  const parsed = launcherEnv.safeParse(emptyAsUndefined(env));
  if (!parsed.success) {
    throw new Error(`Invalid launcher settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const s = parsed.data;
  const browserHost = s.HOSTNAME === '0.0.0.0' || s.HOSTNAME === '::' ? 'localhost' : s.HOSTNAME;
  // Next to the embedded Postgres port, which is derived from the checkout's path.
  const idpPort = s.ROSTER_DEMO_IDP_PORT ?? embeddedPort(projectRoot) + 1000;
  return {
    production,
    demo: !production && s.NODE_ENV !== 'production',
    host: s.HOSTNAME,
    port: s.PORT,
    appUrl: (s.NEXTAUTH_URL ?? `http://${browserHost}:${s.PORT}`).replace(/\/$/, ''),
    idpPort,
    samlIdpPort: s.ROSTER_DEMO_SAML_PORT ?? idpPort + 1,
    workers: s.ROSTER_WORKERS === 'on',
  };
}
