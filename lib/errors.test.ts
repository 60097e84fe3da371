import { describe, expect, it } from 'vitest';
import { AppError, isDatabaseUnavailable } from './errors';

const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1'), { cause });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', syscall: 'connect' })],
    ['a missing Unix socket', wrapped(Object.assign(new Error('connect ENOENT /tmp/.s.PGSQL.5432'), { code: 'ENOENT', syscall: 'connect' }))],
    ['postgres.js giving up', wrapped(Object.assign(new Error('write CONNECT_TIMEOUT'), { code: 'CONNECT_TIMEOUT' }))],
    ['an administrator shutdown (57P01)', wrapped(Object.assign(new Error('terminating connection'), { code: '57P01' }))],
    ['a server starting up (57P03)', wrapped(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))],
    ['the AppError', new AppError('unavailable', 'later')],
  ])('%s is', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', wrapped(Object.assign(new Error('duplicate key'), { code: '23505' }))],
    ['a file that is missing', Object.assign(new Error('ENOENT'), { code: 'ENOENT', syscall: 'open' })],
    ['a protocol violation', wrapped(Object.assign(new Error('protocol'), { code: '08P01' }))],
    ['a plain error', new Error('boom')],
  ])('%s is not', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
