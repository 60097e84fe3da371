/** How the console words a job run's facts (pure; job-words.test.ts). */

/** "0.4 s", "12 s", "3 min 5 s", "2 h 1 min"; null while it runs. */
export function formatDuration(startedAt: Date, finishedAt: Date | null): string | null {
  if (!finishedAt) return null;
  const ms = Math.max(0, finishedAt.getTime() - startedAt.getTime());
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const [h, m, rest] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  return h > 0 ? `${h} h${m ? ` ${m} min` : ''}` : `${m} min${rest ? ` ${rest} s` : ''}`;
}

export const triggerLabels: Record<string, string> = { schedule: 'Schedule', cli: 'CLI', console: 'Console' };

/**
 * job_runs.started_by ("admin:<account id>", "cli:root", "system") as a person reads it; `names`
 * has the organization's account names by id.
 */
export function startedByLabel(startedBy: string | null, names: Map<string, string>): string {
  if (!startedBy) return 'Roster';
  const [type, ...rest] = startedBy.split(':');
  const id = rest.join(':');
  if (type === 'admin') return names.get(id) ?? `administrator ${id.slice(0, 8)}`;
  if (type === 'cli') return id ? `${id} (CLI)` : 'the CLI';
  if (type === 'system') return id ? `Roster (${id})` : 'Roster';
  return startedBy;
}

/** The account ids named in started_by / confirmed_by values, to look their names up. */
export function adminIdsOf(values: (string | null)[]): string[] {
  return values.filter((v): v is string => Boolean(v?.startsWith('admin:'))).map((v) => v.slice('admin:'.length));
}
