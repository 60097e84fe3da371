import type { Tx } from '@/db';
import { getOrganizationSettings } from '@/db/queries/organizations';
import { getDormancyPolicy } from '@/db/queries/dormancy-policies';
import { findSeatBreakdown, findSeatTotals, type SeatFigures } from '@/db/queries/seats';
import { AppError } from '@/lib/errors';
import { dormancyCutoffs } from '@/lib/policy/dormancy';

/**
 * The seat report (`roster seats`, the console's seat page): active seats; of which dormant (the
 * one definition, db/queries/dormancy.ts dormantWhere: no activity since the policy's dormant-after,
 * or never active and older than its never-signed-in threshold; none without a policy); of which
 * never signed in (any age: the unclaimed seats, overlapping dormant); and seats reclaimed in
 * the last 30 days (suspended for dormancy, then possibly deprovisioned), in total, per connection
 * and per role. With a price per seat (organization setting `seatPricePerMonth`), what the
 * reclaimed seats save a month and what the dormant and unclaimed ones would.
 */
export const RECLAIMED_DAYS = 30;

export type SeatLine = SeatFigures & { key: string | null; name: string };
export type SeatReport = {
  asOf: string;
  dormantAfterDays: number | null;
  reclaimedDays: number;
  total: SeatFigures;
  byConnection: SeatLine[];
  byRole: SeatLine[];
  pricePerSeatMonthly: number | null;
  /** Reclaimed seats × price. */
  monthlySaving: number | null;
  /** Dormant × price: what reclaiming the dormant seats (never-signed-in ones past their threshold included) would save. */
  monthlyPotential: number | null;
};

export function seatPriceOf(settings: Record<string, unknown> | null): number | null {
  const price = settings?.seatPricePerMonth;
  if (price === undefined || price === null) return null;
  if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) throw new AppError('invalid_input', 'The organization setting seatPricePerMonth must be a number of at least 0.');
  return price;
}

const money = (n: number) => Math.round(n * 100) / 100;

export type SeatSummary = Omit<SeatReport, 'byConnection' | 'byRole'>;
export type SeatBreakdown = Pick<SeatReport, 'byConnection' | 'byRole'>;

/**
 * The report in two parts: the summary (totals and money: index-only counts, what the seat page
 * renders first) and, as a promise, the breakdown per connection and role (a pass over every
 * active account: the page streams it in).
 */
export async function getSeatReportStreamed(db: Tx, organizationId: string, now: Date = new Date()): Promise<{ summary: SeatSummary; breakdown: Promise<SeatBreakdown> }> {
  const [settings, policy] = await Promise.all([getOrganizationSettings(db, organizationId), getDormancyPolicy(db, organizationId)]);
  if (settings === null) throw new AppError('not_found', 'No such organization.');
  const price = seatPriceOf(settings);
  const cutoffs = policy ? dormancyCutoffs(policy, now) : null;
  const reclaimedSince = new Date(now.getTime() - RECLAIMED_DAYS * 86_400_000);
  const breakdown = findSeatBreakdown(db, { organizationId, cutoffs, reclaimedSince, now }).then((rows): SeatBreakdown => {
    const line = (fallback: string) => (r: (typeof rows)[number]): SeatLine => ({ key: r.key, name: r.name ?? (r.key ? r.key : fallback), ...figures(r) });
    const byCount = (a: SeatLine, b: SeatLine) => b.active - a.active || a.name.localeCompare(b.name);
    return {
      byConnection: rows.filter((r) => r.dimension === 'connection').map(line('(no sign-in identity)')).sort(byCount),
      byRole: rows.filter((r) => r.dimension === 'role').map(line('(no role)')).sort(byCount),
    };
  });
  // Not left unhandled while the summary is computed; the caller awaits it.
  breakdown.catch(() => {});
  const total = await findSeatTotals(db, { organizationId, cutoffs, reclaimedSince });
  return {
    summary: {
      asOf: now.toISOString(),
      dormantAfterDays: policy?.dormantAfterDays ?? null,
      reclaimedDays: RECLAIMED_DAYS,
      total,
      pricePerSeatMonthly: price,
      monthlySaving: price === null ? null : money(total.reclaimed * price),
      monthlyPotential: price === null ? null : money(total.dormant * price),
    },
    breakdown,
  };
}

const figures = ({ active, inUse, dormant, neverSignedIn, reclaimed }: SeatFigures): SeatFigures => ({ active, inUse, dormant, neverSignedIn, reclaimed });

/** The whole report (`roster seats`). */
export async function getSeatReport(db: Tx, organizationId: string, now: Date = new Date()): Promise<SeatReport> {
  const { summary, breakdown } = await getSeatReportStreamed(db, organizationId, now);
  const { byConnection, byRole } = await breakdown;
  return { ...summary, byConnection, byRole };
}
