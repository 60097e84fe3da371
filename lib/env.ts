import { z } from 'zod';
import { parseTrustedProxies } from '@/lib/http/trusted-proxies';

/** The only reader of process.env. Parsed once, at first use; a bad value fails with the variable's name. */
const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());

const envSchema = z
  .object({
    NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(['development', 'test', 'production']).default('development')),
    DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
    NEXTAUTH_URL: optional(z.url('must be an absolute URL such as https://roster.example.com')),
    NEXTAUTH_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
    ROSTER_ENCRYPTION_KEY: optional(
      z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)'),
    ),
    ROSTER_SESSION_MAX_AGE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(60).max(30 * 86400).default(8 * 3600)),
    /** PostgreSQL connections per pool of this process (db/index.ts defaultPoolSize when unset). */
    ROSTER_DB_POOL_SIZE: optional(z.coerce.number().int('must be a whole number').min(1).max(200)),
    ROSTER_DEMO: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).default('0')),
    /** Comma-separated IPs/CIDRs of the proxies in front of Roster (lib/http/client-ip.ts); none by default. */
    ROSTER_TRUSTED_PROXIES: z.preprocess(emptyAsUndefined, z.string().default('')).transform((text, ctx) => {
      const parsed = parseTrustedProxies(text);
      if (parsed.ok) return parsed.entries;
      ctx.addIssue({ code: 'custom', message: `'${parsed.bad}' is not an IP address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)` });
      return z.NEVER;
    }),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    for (const key of ['NEXTAUTH_SECRET', 'ROSTER_ENCRYPTION_KEY', 'NEXTAUTH_URL'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production' });
    }
    if (env.ROSTER_DEMO === '1') ctx.addIssue({ code: 'custom', path: ['ROSTER_DEMO'], message: 'the demo never runs in production' });
  });

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests and the launcher, after they change process.env. */
export function resetEnvCache(): void {
  cached = undefined;
}
