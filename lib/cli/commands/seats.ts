import { getSeatReport, type SeatLine } from '@/lib/governance/seats';
import { orgOption, requiredString, type Command } from '../command';
import { details, table } from '../format';
import { getOrganizationOrThrow } from '../resolve';

const lines = (rows: SeatLine[], label: string) =>
  table(rows, [
    [label, (r) => r.name],
    ['ACTIVE', (r) => r.active],
    ['IN USE', (r) => r.inUse],
    ['DORMANT', (r) => r.dormant],
    ['NEVER SIGNED IN', (r) => r.neverSignedIn],
    ['RECLAIMED', (r) => r.reclaimed],
  ]);

const seats: Command = {
  name: 'seats',
  summary: 'Seat report: active, dormant, never-signed-in and reclaimed seats, per connection and role, and the monthly saving',
  usage: [['--org <slug>', 'the organization']],
  options: { ...orgOption },
  prepare(values) {
    const slug = requiredString(values, 'org');
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const report = await getSeatReport(db, org.id);
      const t = report.total;
      const price = report.pricePerSeatMonthly;
      const text = [
        details([
          ['active seats', t.active],
          ['in use', t.inUse],
          ['dormant', report.dormantAfterDays === null ? `${t.dormant} (no dormancy policy)` : `${t.dormant} (no activity for ${report.dormantAfterDays} days)`],
          ['never signed in', t.neverSignedIn],
          [`reclaimed (${report.reclaimedDays} days)`, t.reclaimed],
          ['price per seat', price === null ? '(not set: organization setting seatPricePerMonth)' : `${price} a month`],
          ...(price === null ? [] : ([['monthly saving', report.monthlySaving], ['dormant seats cost', `${report.monthlyPotential} a month`]] as [string, number | string | null][])),
        ]),
        '',
        'By connection:',
        lines(report.byConnection, 'CONNECTION'),
        '',
        'By role:',
        lines(report.byRole, 'ROLE'),
      ].join('\n');
      return { data: report, text };
    };
  },
};

export const seatsCommands = [seats];
