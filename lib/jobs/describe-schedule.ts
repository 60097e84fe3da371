import cronstrue from 'cronstrue';

/**
 * A job's cron schedule (UTC) in words for people: "every minute", "every 5 minutes", "hourly at 17
 * minutes past the hour", "daily at 03:30 UTC". cronstrue does the parsing and the wording (every
 * cron form, not only the ones registered today); this only lowercases it, says "daily" for a
 * time of day alone, and names the zone of any clock time. An expression it cannot read is shown as it is.
 */
export function describeSchedule(cron: string): string {
  let words: string;
  try {
    words = cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false, throwExceptionOnParseError: true });
  } catch {
    return cron;
  }
  const daily = /^At (\d{2}:\d{2})$/.exec(words);
  if (daily) return `daily at ${daily[1]} UTC`;
  const hourly = /^At (\d+) minutes? past the hour$/.exec(words);
  if (hourly) return `hourly at ${hourly[1]} minute${hourly[1] === '1' ? '' : 's'} past the hour`;
  const sentence = words.charAt(0).toLowerCase() + words.slice(1);
  return sentence.replace(/(\d{2}:\d{2})/g, '$1 UTC');
}
