/**
 * Dormancy decisions (pure): what an account gets from an organization's dormancy policy at a given
 * time, and why, in words. The thresholds are turned into cut-off times once (dormancyCutoffs); the
 * sweep's SQL (db/queries/dormancy.ts) compares the same columns with the very same cut-offs, so the
 * pure decision and the set-based selection cannot drift apart (dormancy.test.ts and the sweep tests
 * check they agree at the edges).
 *
 * "After N days" means at least N whole days: an account last active exactly N days ago qualifies.
 */
export type DormancyRules = {
  dormantAfterDays: number;
  suspendAfterDays: number | null;
  deprovisionAfterDays: number | null;
  /** Accounts that never signed in, counted from creation (null: the suspend threshold). */
  neverSignedInAfterDays: number | null;
  /** A warning this many days before suspension; suspension waits until the warning is this old. */
  warnBeforeDays: number | null;
};

export type DormancyAction = 'none' | 'dormant' | 'warn' | 'suspend' | 'deprovision';

export type DormancySubject = {
  status: string;
  createdAt: Date;
  lastActivityAt: Date | null;
  dormancyWarnedAt: Date | null;
  dormancySuspendedAt: Date | null;
  /** The account's own switch, or an exempt role in force (a grant not expired at `now`). */
  exempt: boolean;
};

export type DormancyDecision = { action: DormancyAction; clause: string };

const DAY = 86_400_000;
const before = (now: Date, days: number | null) => (days === null ? null : new Date(now.getTime() - days * DAY));

/** The cut-off times of a policy at `now`: a time at or before a cut-off is past its threshold. */
export type DormancyCutoffs = {
  dormant: Date;
  warn: Date | null;
  suspend: Date | null;
  neverDormant: Date;
  neverWarn: Date | null;
  neverSuspend: Date | null;
  /** A warning given at or before this is old enough for suspension (null: no warning required). */
  warnedBy: Date | null;
  /** Suspended for dormancy at or before this: deprovision. */
  deprovision: Date | null;
};

export function dormancyCutoffs(rules: DormancyRules, now: Date): DormancyCutoffs {
  const suspend = rules.suspendAfterDays;
  const never = rules.neverSignedInAfterDays ?? suspend;
  const warn = suspend === null ? null : rules.warnBeforeDays;
  return {
    dormant: before(now, rules.dormantAfterDays)!,
    suspend: before(now, suspend),
    warn: warn === null || suspend === null ? null : before(now, suspend - warn),
    neverDormant: before(now, Math.min(rules.dormantAfterDays, never ?? rules.dormantAfterDays))!,
    neverSuspend: before(now, never),
    neverWarn: warn === null || never === null ? null : before(now, Math.max(never - warn, 0)),
    warnedBy: warn === null ? null : before(now, warn),
    deprovision: before(now, rules.deprovisionAfterDays),
  };
}

const atOrBefore = (at: Date | null, cutoff: Date | null) => at !== null && cutoff !== null && at.getTime() <= cutoff.getTime();
const day = (at: Date) => at.toISOString().slice(0, 10);
const daysSince = (at: Date, now: Date) => Math.floor((now.getTime() - at.getTime()) / DAY);

/** A warning counts until the account is active again after it. */
export function warningInForce(subject: Pick<DormancySubject, 'lastActivityAt' | 'dormancyWarnedAt'>): boolean {
  const { lastActivityAt, dormancyWarnedAt } = subject;
  return dormancyWarnedAt !== null && (lastActivityAt === null || lastActivityAt.getTime() <= dormancyWarnedAt.getTime());
}

/** What the policy does to one account at `now`, with the clause that decides it. */
export function decideDormancy(subject: DormancySubject, rules: DormancyRules, now: Date): DormancyDecision {
  if (subject.exempt) return { action: 'none', clause: 'exempt from dormancy' };
  const cut = dormancyCutoffs(rules, now);
  if (subject.status === 'suspended' && subject.dormancySuspendedAt) {
    if (!atOrBefore(subject.dormancySuspendedAt, cut.deprovision)) return { action: 'none', clause: 'suspended for dormancy' };
    const at = subject.dormancySuspendedAt;
    return { action: 'deprovision', clause: `suspended for dormancy ${daysSince(at, now)} days ago (${day(at)}); deprovision after ${rules.deprovisionAfterDays}` };
  }
  if (subject.status !== 'active') return { action: 'none', clause: `account ${subject.status}` };
  const never = subject.lastActivityAt === null;
  const reference = subject.lastActivityAt ?? subject.createdAt;
  const idle = never
    ? `never signed in, created ${daysSince(reference, now)} days ago (${day(reference)})`
    : `no activity for ${daysSince(reference, now)} days (last ${day(reference)})`;
  const suspendDays = never ? (rules.neverSignedInAfterDays ?? rules.suspendAfterDays) : rules.suspendAfterDays;
  const suspendWords = `${never ? 'suspend never-signed-in accounts' : 'suspend'} after ${suspendDays}`;
  const warned = warningInForce(subject) ? subject.dormancyWarnedAt : null;
  if (atOrBefore(reference, never ? cut.neverSuspend : cut.suspend)) {
    if (cut.warnedBy === null) return { action: 'suspend', clause: `${idle}; ${suspendWords}` };
    if (atOrBefore(warned, cut.warnedBy)) return { action: 'suspend', clause: `${idle}; warned ${day(warned!)}; ${suspendWords}` };
  }
  if (atOrBefore(reference, never ? cut.neverWarn : cut.warn)) {
    if (warned === null) return { action: 'warn', clause: `${idle}; ${suspendWords}, warning ${rules.warnBeforeDays} days before` };
    return { action: 'dormant', clause: `${idle}; warned ${day(warned)}, suspension ${rules.warnBeforeDays} days after the warning` };
  }
  if (atOrBefore(reference, never ? cut.neverDormant : cut.dormant)) return { action: 'dormant', clause: `${idle}; dormant after ${rules.dormantAfterDays}` };
  return { action: 'none', clause: idle };
}
