import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

const key = randomBytes(32).toString('base64');
const production = {
  NODE_ENV: 'production',
  NEXTAUTH_SECRET: 'x'.repeat(32),
  ROSTER_ENCRYPTION_KEY: key,
  NEXTAUTH_URL: 'https://roster.example.com',
};

describe('parseEnv', () => {
  it('fills the defaults', () => {
    expect(parseEnv({})).toEqual({ NODE_ENV: 'development', ROSTER_SESSION_MAX_AGE: 8 * 3600, ROSTER_DEMO: '0', ROSTER_TRUSTED_PROXIES: [] });
  });

  it('ignores variables it does not know', () => {
    expect(parseEnv({ PATH: '/bin', HOME: '/root' })).not.toHaveProperty('PATH');
  });

  it.each(['NODE_ENV', 'DATABASE_URL', 'NEXTAUTH_URL', 'NEXTAUTH_SECRET', 'ROSTER_ENCRYPTION_KEY', 'ROSTER_SESSION_MAX_AGE', 'ROSTER_DEMO', 'ROSTER_TRUSTED_PROXIES', 'ROSTER_DB_POOL_SIZE'])(
    'treats an empty %s as unset',
    (name) => {
      expect(parseEnv({ [name]: '' })).toEqual(parseEnv({}));
    },
  );

  it.each<[string, Record<string, string>, Record<string, unknown>]>([
    ['a postgres URL', { DATABASE_URL: 'postgres://u:p@db:5432/roster' }, { DATABASE_URL: 'postgres://u:p@db:5432/roster' }],
    ['a postgresql URL', { DATABASE_URL: 'postgresql://db/roster' }, { DATABASE_URL: 'postgresql://db/roster' }],
    ['the session age as a number', { ROSTER_SESSION_MAX_AGE: '3600' }, { ROSTER_SESSION_MAX_AGE: 3600 }],
    ['the demo flag', { ROSTER_DEMO: '1' }, { ROSTER_DEMO: '1' }],
    ['a pool size', { ROSTER_DB_POOL_SIZE: '24' }, { ROSTER_DB_POOL_SIZE: 24 }],
    ['trusted proxies', { ROSTER_TRUSTED_PROXIES: ' 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32' }, { ROSTER_TRUSTED_PROXIES: ['10.0.0.0/8', '192.0.2.7', '2001:db8::/32'] }],
    ['a 32-byte key', { ROSTER_ENCRYPTION_KEY: key }, { ROSTER_ENCRYPTION_KEY: key }],
    ['the test environment', { NODE_ENV: 'test' }, { NODE_ENV: 'test' }],
    ['everything production needs', production, production],
  ])('accepts %s', (_label, source, expected) => {
    expect(parseEnv(source)).toMatchObject(expected);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['a non-postgres DATABASE_URL', { DATABASE_URL: 'mysql://db/roster' }, /DATABASE_URL: must be a postgres:\/\/ URL/],
    ['a relative NEXTAUTH_URL', { NEXTAUTH_URL: 'roster.example.com' }, /NEXTAUTH_URL: must be an absolute URL/],
    ['a short NEXTAUTH_SECRET', { NEXTAUTH_SECRET: 'short' }, /NEXTAUTH_SECRET: must be at least 32 characters/],
    ['a 16-byte key', { ROSTER_ENCRYPTION_KEY: randomBytes(16).toString('base64') }, /ROSTER_ENCRYPTION_KEY: must be 32 bytes, base64-encoded/],
    ['a hex key', { ROSTER_ENCRYPTION_KEY: randomBytes(32).toString('hex') }, /ROSTER_ENCRYPTION_KEY: must be 32 bytes/],
    ['a session age under a minute', { ROSTER_SESSION_MAX_AGE: '30' }, /ROSTER_SESSION_MAX_AGE/],
    ['a session age that is not a number', { ROSTER_SESSION_MAX_AGE: 'eight hours' }, /ROSTER_SESSION_MAX_AGE/],
    ['a pool of no connections', { ROSTER_DB_POOL_SIZE: '0' }, /ROSTER_DB_POOL_SIZE/],
    ['a pool size that is not a whole number', { ROSTER_DB_POOL_SIZE: '4.5' }, /ROSTER_DB_POOL_SIZE: must be a whole number/],
    ['a pool size that is not a number', { ROSTER_DB_POOL_SIZE: 'many' }, /ROSTER_DB_POOL_SIZE/],
    ['an unknown NODE_ENV', { NODE_ENV: 'staging' }, /NODE_ENV/],
    ['a demo flag other than 0 or 1', { ROSTER_DEMO: 'yes' }, /ROSTER_DEMO/],
    ['a trusted proxy that is a host name', { ROSTER_TRUSTED_PROXIES: '10.0.0.1, proxy.internal' }, /ROSTER_TRUSTED_PROXIES: 'proxy.internal' is not an IP address or CIDR range/],
    ['a CIDR prefix too long', { ROSTER_TRUSTED_PROXIES: '10.0.0.0/33' }, /ROSTER_TRUSTED_PROXIES: '10.0.0.0\/33'/],
  ])('refuses %s, naming the variable', (_label, source, message) => {
    expect(() => parseEnv(source)).toThrow(message);
  });

  it.each(['NEXTAUTH_SECRET', 'ROSTER_ENCRYPTION_KEY', 'NEXTAUTH_URL'] as const)('requires %s in production', (name) => {
    expect(() => parseEnv({ ...production, [name]: undefined })).toThrow(`${name}: is required in production`);
    expect(() => parseEnv({ ...production, [name]: '' })).toThrow(`${name}: is required in production`);
  });

  it('lists every missing production variable at once', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(
      /NEXTAUTH_SECRET: is required in production\n {2}ROSTER_ENCRYPTION_KEY: is required in production\n {2}NEXTAUTH_URL: is required in production/,
    );
  });

  it('refuses the demo in production, and allows it elsewhere', () => {
    expect(() => parseEnv({ ...production, ROSTER_DEMO: '1' })).toThrow('ROSTER_DEMO: the demo never runs in production');
    expect(parseEnv({ NODE_ENV: 'development', ROSTER_DEMO: '1' }).ROSTER_DEMO).toBe('1');
  });
});
