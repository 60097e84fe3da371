import { describe, expect, it } from 'vitest';
import { parseDuration, parseInstant } from './parse-time';

describe('parseDuration', () => {
  it.each([
    ['30m', 30 * 60_000],
    ['8h', 8 * 3_600_000],
    ['7d', 7 * 86_400_000],
    ['2w', 14 * 86_400_000],
    [' 8H ', 8 * 3_600_000],
  ])('%s is %d ms', (raw, ms) => expect(parseDuration(raw)).toBe(ms));

  it.each(['', '8', 'h', '1.5h', '8 h', '1h30m', '-1h', '0h', '3y', '8hours', 'P1D', '9999999d'])('refuses %j', (raw) => expect(parseDuration(raw)).toBeNull());
});

describe('parseInstant', () => {
  it.each([
    ['2027-03-31', '2027-03-31T00:00:00.000Z'],
    ['2027-03-31T17:00:00Z', '2027-03-31T17:00:00.000Z'],
    ['2027-03-31T17:00Z', '2027-03-31T17:00:00.000Z'],
    ['2027-03-31t17:00:00.250z', '2027-03-31T17:00:00.250Z'],
    ['2027-03-31T17:00:00+02:00', '2027-03-31T15:00:00.000Z'],
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
  ])('%s is %s', (raw, iso) => expect(parseInstant(raw)?.toISOString()).toBe(iso));

  it.each(['', 'tomorrow', '2027-02-30', '2027-13-01', '2027-3-1', '2027-03-31T17:00:00', '2027-03-31T25:00:00Z', '2027-03-31 17:00Z', '1700000000', '03/31/2027', '2027-03-31T17:00:60Z'])(
    'refuses %j',
    (raw) => expect(parseInstant(raw)).toBeNull(),
  );
});
