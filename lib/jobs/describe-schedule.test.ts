import { describe, expect, it } from 'vitest';
import { jobDefinitions } from './registry';
import { describeSchedule } from './describe-schedule';

describe('describeSchedule', () => {
  it.each([
    ['* * * * *', 'every minute'],
    ['*/5 * * * *', 'every 5 minutes'],
    ['*/15 * * * *', 'every 15 minutes'],
    ['0 * * * *', 'every hour'],
    ['17 * * * *', 'hourly at 17 minutes past the hour'],
    ['1 * * * *', 'hourly at 1 minute past the hour'],
    ['30 3 * * *', 'daily at 03:30 UTC'],
    ['0 0 * * *', 'daily at 00:00 UTC'],
    ['0 0 * * 1', 'at 00:00 UTC, only on Monday'],
    ['0 */6 * * *', 'on the hour, every 6 hours'],
  ])('%s reads "%s"', (cron, words) => {
    expect(describeSchedule(cron)).toBe(words);
  });

  it('shows an expression it cannot read as it is', () => {
    expect(describeSchedule('not a cron')).toBe('not a cron');
    expect(describeSchedule('61 * * * *')).toBe('61 * * * *');
  });

  it('words every registered job', () => {
    for (const d of jobDefinitions) expect(describeSchedule(d.schedule), d.name).not.toBe(d.schedule);
  });
});
