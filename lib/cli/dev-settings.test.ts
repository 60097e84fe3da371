import { describe, expect, it } from 'vitest';
import { readDevSettings } from './dev-settings';

describe('readDevSettings: ROSTER_WORKERS', () => {
  const env = (vars: Record<string, string>) => ({ NODE_ENV: 'development', ...vars }) as NodeJS.ProcessEnv;

  it.each<[Record<string, string>, boolean]>([
    [{}, true],
    [{ ROSTER_WORKERS: '' }, true],
    [{ ROSTER_WORKERS: 'on' }, true],
    [{ ROSTER_WORKERS: 'off' }, false],
  ])('%o runs workers in the launcher: %s', (vars, workers) => {
    expect(readDevSettings([], env(vars)).workers).toBe(workers);
  });

  it('refuses another value with the variable named', () => {
    expect(() => readDevSettings([], env({ ROSTER_WORKERS: 'no' }))).toThrow(/ROSTER_WORKERS: must be 'on' or 'off'/);
  });
});
