/**
 * What a run did or would do, in words, from its counts by action (JobResult.counts): "suspend 120
 * accounts past their end date", "revoke 3 expired role grants". The confirm dialog of a halted run
 * says this before the admin proceeds, and the audit trail's sentence repeats it. An action no job
 * here names yet reads as "<action> ×N". Pure.
 */
const n = (value: number, one: string, many = `${one}s`) => `${value.toLocaleString('en-US')} ${value === 1 ? one : many}`;

const phrases: Record<string, (count: number) => string> = {
  end: (c) => `suspend ${n(c, 'account')} past ${c === 1 ? 'its' : 'their'} end date`,
  suspend: (c) => `suspend ${n(c, 'account')}`,
  deprovision: (c) => `deprovision ${n(c, 'account')}`,
  warn: (c) => `warn ${n(c, 'account')} before suspension`,
  revoke_role: (c) => `revoke ${n(c, 'expired role grant')}`,
  purge: (c) => `purge the personal data of ${n(c, 'deprovisioned account')}`,
  delete_session: (c) => `delete ${n(c, 'ended session')}`,
  delete_request: (c) => `delete ${n(c, 'expired SAML request')}`,
  delete_replay_entry: (c) => `delete ${n(c, 'expired replay-cache entry', 'expired replay-cache entries')}`,
  delete_scim_request: (c) => `delete ${n(c, 'logged SCIM request')} past retention`,
  metadata_updated: (c) => `update the SAML metadata of ${n(c, 'connection')}`,
  metadata_unchanged: (c) => `find the SAML metadata of ${n(c, 'connection')} unchanged`,
  metadata_failed: (c) => `fail to read the SAML metadata of ${n(c, 'connection')}`,
  metadata_refused: (c) => `refuse the SAML metadata of ${n(c, 'connection')} (another entity ID)`,
  delete_scim_request_over_cap: (c) => `delete ${n(c, 'logged SCIM request')} past an organization's limit`,
};

/** Each action with a count above zero, in words, in the order the job gave them. */
export function describeCountParts(counts: Record<string, number>): string[] {
  return Object.entries(counts)
    .filter(([, c]) => c > 0)
    .map(([action, c]) => phrases[action]?.(c) ?? `${action.replace(/_/g, ' ')} ×${c.toLocaleString('en-US')}`);
}

/** "suspend 3 accounts and warn 10 accounts before suspension"; "nothing" when every count is zero. */
export function describeCounts(counts: Record<string, number>): string {
  const parts = describeCountParts(counts);
  if (parts.length === 0) return 'nothing';
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** Short labels for a table cell: "end 120", "revoke role 3" (zero counts kept: a run that found nothing says so). */
export function countLabels(counts: Record<string, number>): string[] {
  return Object.entries(counts).map(([action, c]) => `${action.replace(/_/g, ' ')} ${c.toLocaleString('en-US')}`);
}
