import { describe, expect, it } from 'vitest';
import { readDevSettings } from './dev-settings';

describe('readDevSettings: ROSTER_WORKERS', () => {
  it.each([
    [{}, true],
    [{ ROSTER_WORKERS: '' }, true],
    [{ ROSTER_WORKERS: 'on' }, true],
    [{ ROSTER_WORKERS: 'off' }, false],
  ])('%o runs workers in the launcher: %s', (env, workers) => {
    expect(readDevSettings([], env).workers).toBe(workers);
  });

  it('refuses another value with the variable named', () => {
    expect(() => readDevSettings([], { ROSTER_WORKERS: 'no' })).toThrow(/ROSTER_WORKERS: must be 'on' or 'off'/);
  });
});
