import type { Tx } from '@/db';
import { getOrganizationSettings } from '@/db/queries/bulk-accounts';
import { getDormancyPolicy } from '@/db/queries/dormancy-policies';
import { findSeatFigures, type SeatFigures } from '@/db/queries/seats';
import { AppError } from '@/lib/errors';
import { dormancyCutoffs } from '@/lib/policy/dormancy';

/**
 * The seat report (`roster seats`, the console's seat page): active seats, of which dormant (by
 * the organization's dormancy policy; none without one) or never signed in, and seats reclaimed in
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
  /** (Dormant + never signed in) × price: what reclaiming those would save. */
  monthlyPotential: number | null;
};

export function seatPriceOf(settings: Record<string, unknown> | null): number | null {
  const price = settings?.seatPricePerMonth;
  if (price === undefined || price === null) return null;
  if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) throw new AppError('invalid_input', 'The organization setting seatPricePerMonth must be a number of at least 0.');
  return price;
}

const money = (n: number) => Math.round(n * 100) / 100;

export async function getSeatReport(db: Tx, organizationId: string, now: Date = new Date()): Promise<SeatReport> {
  const [settings, policy] = await Promise.all([getOrganizationSettings(db, organizationId), getDormancyPolicy(db, organizationId)]);
  if (settings === null) throw new AppError('not_found', 'No such organization.');
  const price = seatPriceOf(settings);
  const dormantBefore = policy ? dormancyCutoffs({ ...policy, suspendAfterDays: null, warnBeforeDays: null }, now).dormant : null;
  const rows = await findSeatFigures(db, { organizationId, dormantBefore, reclaimedSince: new Date(now.getTime() - RECLAIMED_DAYS * 86_400_000), now });
  const figures = ({ active, dormant, neverSignedIn, reclaimed }: SeatFigures) => ({ active, dormant, neverSignedIn, reclaimed });
  const line = (fallback: string) => (r: (typeof rows)[number]): SeatLine => ({ key: r.key, name: r.name ?? (r.key ? r.key : fallback), ...figures(r) });
  const total = figures(rows.find((r) => r.dimension === 'total') ?? { active: 0, dormant: 0, neverSignedIn: 0, reclaimed: 0 });
  const byCount = (a: SeatLine, b: SeatLine) => b.active - a.active || a.name.localeCompare(b.name);
  return {
    asOf: now.toISOString(),
    dormantAfterDays: policy?.dormantAfterDays ?? null,
    reclaimedDays: RECLAIMED_DAYS,
    total,
    byConnection: rows.filter((r) => r.dimension === 'connection').map(line('(no sign-in identity)')).sort(byCount),
    byRole: rows.filter((r) => r.dimension === 'role').map(line('(no role)')).sort(byCount),
    pricePerSeatMonthly: price,
    monthlySaving: price === null ? null : money(total.reclaimed * price),
    monthlyPotential: price === null ? null : money((total.dormant + total.neverSignedIn) * price),
  };
}
