import { describe, expect, it } from 'vitest';
import { adminIdsOf, formatDuration, startedByLabel } from './job-words';

const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);

describe('formatDuration', () => {
  it.each([
    [0, '0.0 s'],
    [420, '0.4 s'],
    [9_949, '9.9 s'],
    [12_300, '12 s'],
    [60_000, '1 min'],
    [185_000, '3 min 5 s'],
    [3_600_000, '1 h'],
    [7_260_000, '2 h 1 min'],
  ])('%i ms reads %s', (ms, words) => {
    expect(formatDuration(at(0), at(ms))).toBe(words);
  });

  it('has no duration while the run is running', () => {
    expect(formatDuration(at(0), null)).toBeNull();
  });
});

describe('startedByLabel', () => {
  const id = 'da4a0000-0000-4000-8000-000000000004';
  const names = new Map([[id, 'Dana Admin']]);
  it.each([
    [`admin:${id}`, 'Dana Admin'],
    ['admin:0000ffff-0000-4000-8000-000000000000', 'administrator 0000ffff'],
    ['cli:root', 'root (CLI)'],
    ['cli', 'the CLI'],
    ['system', 'Roster'],
    ['system:account-end-date', 'Roster (account-end-date)'],
    [null, 'Roster'],
  ])('%s reads %s', (value, words) => {
    expect(startedByLabel(value, names)).toBe(words);
  });

  it('finds the admins to name', () => {
    expect(adminIdsOf([`admin:${id}`, 'cli:root', null])).toEqual([id]);
  });
});
