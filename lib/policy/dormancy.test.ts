import { describe, expect, it } from 'vitest';
import { decideDormancy, dormancyCutoffs, warningInForce, type DormancyAction, type DormancyRules, type DormancySubject } from './dormancy';

const DAY = 86_400_000;
const now = new Date('2026-12-01T12:00:00.000Z');
const ago = (days: number, ms = 0) => new Date(now.getTime() - days * DAY - ms);
const rules: DormancyRules = { dormantAfterDays: 60, suspendAfterDays: 90, deprovisionAfterDays: 30, neverSignedInAfterDays: 45, warnBeforeDays: 7 };
const noWarning: DormancyRules = { ...rules, warnBeforeDays: null };
const subject = (s: Partial<DormancySubject>): DormancySubject => ({
  status: 'active',
  createdAt: ago(400),
  lastActivityAt: null,
  dormancyWarnedAt: null,
  dormancySuspendedAt: null,
  exempt: false,
  ...s,
});

describe('decideDormancy', () => {
  it.each<[string, Partial<DormancySubject>, DormancyRules, DormancyAction]>([
    ['active yesterday', { lastActivityAt: ago(1) }, rules, 'none'],
    ['one millisecond short of dormant', { lastActivityAt: ago(60, -1) }, rules, 'none'],
    ['exactly 60 days: dormant', { lastActivityAt: ago(60) }, rules, 'dormant'],
    ['82 days and a bit: still dormant, not yet warned', { lastActivityAt: ago(83, -1) }, rules, 'dormant'],
    ['exactly 83 days (90 - 7): warn', { lastActivityAt: ago(83) }, rules, 'warn'],
    ['120 days, never warned: warn first, not suspend', { lastActivityAt: ago(120) }, rules, 'warn'],
    ['90 days, warned 6 days ago: waits for the warning', { lastActivityAt: ago(90), dormancyWarnedAt: ago(6) }, rules, 'dormant'],
    ['90 days, warned exactly 7 days ago: suspend', { lastActivityAt: ago(90), dormancyWarnedAt: ago(7) }, rules, 'suspend'],
    ['89 days, warned 7 days ago: not yet', { lastActivityAt: ago(89), dormancyWarnedAt: ago(7) }, rules, 'dormant'],
    ['warning void by activity after it: warn again', { lastActivityAt: ago(85), dormancyWarnedAt: ago(86) }, rules, 'warn'],
    ['no warning policy, exactly 90: suspend', { lastActivityAt: ago(90) }, noWarning, 'suspend'],
    ['no warning policy, 90 days less 1 ms: dormant', { lastActivityAt: ago(90, -1) }, noWarning, 'dormant'],
    ['never signed in, created 37 days ago (45 - 7 = 38): none', { createdAt: ago(37) }, rules, 'none'],
    ['never signed in, created 38 days ago: warn', { createdAt: ago(38) }, rules, 'warn'],
    ['never signed in, 45 days, warned 7 days ago: suspend', { createdAt: ago(45), dormancyWarnedAt: ago(7) }, rules, 'suspend'],
    ['never signed in, no warning policy, exactly 45: suspend', { createdAt: ago(45) }, noWarning, 'suspend'],
    ['never signed in, 44 days, no warning policy: dormant (dormant after min(60, 45))', { createdAt: ago(44, -1) }, { ...noWarning, neverSignedInAfterDays: 45, dormantAfterDays: 30 }, 'dormant'],
    ['exempt: never acted on', { lastActivityAt: ago(500), dormancyWarnedAt: ago(30) }, rules, 'none'],
    ['suspended for dormancy 30 days ago: deprovision', { status: 'suspended', lastActivityAt: ago(200), dormancySuspendedAt: ago(30) }, rules, 'deprovision'],
    ['suspended for dormancy 29 days ago: wait', { status: 'suspended', lastActivityAt: ago(200), dormancySuspendedAt: ago(30, -1) }, rules, 'none'],
    ['suspended by an admin: not dormancy', { status: 'suspended', lastActivityAt: ago(500) }, rules, 'none'],
    ['deprovisioned: nothing', { status: 'deprovisioned', lastActivityAt: ago(500) }, rules, 'none'],
    ['no suspension in the policy: only dormant', { lastActivityAt: ago(500) }, { ...rules, suspendAfterDays: null, warnBeforeDays: null }, 'dormant'],
  ])('%s', (_name, given, policy, action) => {
    const s = subject(given);
    const exempt = _name.startsWith('exempt');
    expect(decideDormancy({ ...s, exempt }, policy, now).action).toBe(action);
  });

  it('says the clause in words', () => {
    const suspend = decideDormancy(subject({ lastActivityAt: new Date('2026-09-01T00:00:00Z') }), noWarning, now);
    expect(suspend).toEqual({ action: 'suspend', clause: 'no activity for 91 days (last 2026-09-01); suspend after 90' });
    const warned = decideDormancy(subject({ lastActivityAt: new Date('2026-09-01T00:00:00Z'), dormancyWarnedAt: ago(8) }), rules, now);
    expect(warned.clause).toBe('no activity for 91 days (last 2026-09-01); warned 2026-11-23; suspend after 90');
    const warn = decideDormancy(subject({ lastActivityAt: ago(84) }), rules, now);
    expect(warn.clause).toBe('no activity for 84 days (last 2026-09-08); suspend after 90, warning 7 days before');
    const never = decideDormancy(subject({ createdAt: ago(50) }), noWarning, now);
    expect(never.clause).toBe('never signed in, created 50 days ago (2026-10-12); suspend never-signed-in accounts after 45');
    const deprovision = decideDormancy(subject({ status: 'suspended', dormancySuspendedAt: ago(31) }), rules, now);
    expect(deprovision.clause).toBe('suspended for dormancy 31 days ago (2026-10-31); deprovision after 30');
  });

  it('takes a warning as void once the account is active after it', () => {
    expect(warningInForce({ dormancyWarnedAt: ago(3), lastActivityAt: ago(10) })).toBe(true);
    expect(warningInForce({ dormancyWarnedAt: ago(3), lastActivityAt: ago(3) })).toBe(true);
    expect(warningInForce({ dormancyWarnedAt: ago(3), lastActivityAt: ago(2) })).toBe(false);
    expect(warningInForce({ dormancyWarnedAt: ago(3), lastActivityAt: null })).toBe(true);
    expect(warningInForce({ dormancyWarnedAt: null, lastActivityAt: null })).toBe(false);
  });

  it('computes the cut-offs once', () => {
    const c = dormancyCutoffs(rules, now);
    expect(c.suspend).toEqual(ago(90));
    expect(c.warn).toEqual(ago(83));
    expect(c.neverWarn).toEqual(ago(38));
    expect(c.warnedBy).toEqual(ago(7));
    expect(c.deprovision).toEqual(ago(30));
    expect(dormancyCutoffs(noWarning, now).warnedBy).toBeNull();
  });
});
