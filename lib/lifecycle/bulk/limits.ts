import { AppError } from '@/lib/errors';

/**
 * How big a bulk action may be. Past the organization's limit (`settings.bulkActionLimit`, a whole
 * number ≥ 0, default 1,000) a real run needs the admin to type the number of accounts
 * (`confirmOver`); past the hard cap no run is accepted, dry or not. A dry run past the limit is
 * allowed (it changes nothing): its report says the confirmation a real run will need.
 */
export const BULK_HARD_CAP = 10_000;
export const DEFAULT_BULK_ACTION_LIMIT = 1_000;
/** Accounts per transaction: a 10k run is 20 short transactions, each of pipelined statements. */
export const BULK_CHUNK_SIZE = 500;

/** The organization's limit: its setting when a whole number ≥ 0 (at most the hard cap), else the default. */
export function bulkActionLimit(settings: Record<string, unknown>): number {
  const value = settings.bulkActionLimit;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return DEFAULT_BULK_ACTION_LIMIT;
  return Math.min(value, BULK_HARD_CAP);
}

const count = (n: number) => n.toLocaleString('en-US');

/** Refuses a run past the hard cap, or a real run past the limit without the matching confirmation; answers whether it is past the limit. */
export function checkVolume(input: { requested: number; limit: number; dryRun: boolean; confirmOver?: number | null }): { needsConfirmation: boolean } {
  const { requested, limit } = input;
  if (requested > BULK_HARD_CAP) {
    throw new AppError('invalid_input', `A bulk action changes at most ${count(BULK_HARD_CAP)} accounts per run; this one names ${count(requested)}. Narrow the filter, or run it in parts.`, {
      requested,
      hardCap: BULK_HARD_CAP,
    });
  }
  const needsConfirmation = requested > limit;
  if (needsConfirmation && !input.dryRun && input.confirmOver !== requested) {
    const typed = input.confirmOver === undefined || input.confirmOver === null ? '' : ` (${count(input.confirmOver)} was typed)`;
    throw new AppError(
      'precondition_failed',
      `This bulk action names ${count(requested)} accounts, more than this organization's limit of ${count(limit)} for one run: type ${requested} to confirm${typed}.`,
      { requested, limit },
    );
  }
  return { needsConfirmation };
}
