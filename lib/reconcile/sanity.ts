import type { DuplicateKey } from '@/db/queries/reconcile-staging';
import type { BadRow } from '@/lib/sources/types';

/**
 * The file sanity checks, before any action: a file that is truncated or malformed deactivates
 * nobody. Each failed check halts the run; only a row-count drop (and the circuit breaker) is an
 * admin's to confirm, since a company may shrink. Bad rows and duplicate keys are the file's fault:
 * only a corrected file proceeds. (A header that does not match the mapping fails the run before
 * this: the reader refuses it.) Pure.
 */
export type SanityCheck = { check: 'bad_rows' | 'duplicate_keys' | 'row_count_drop'; confirmable: boolean; message: string };

const lines = (items: { line: number }[]) => items.map((i) => i.line).join(', ');

export function checkSanity(input: {
  rowCount: number;
  badRowCount: number;
  badRows: BadRow[];
  duplicates: { total: number; first: DuplicateKey[] };
  /** The row count of the source's last completed run (null: none yet). */
  previousRowCount: number | null;
  maxRowDropPercent: number;
}): SanityCheck[] {
  const failed: SanityCheck[] = [];
  if (input.badRowCount > 0) {
    const first = input.badRows.slice(0, 5);
    failed.push({
      check: 'bad_rows',
      confirmable: false,
      message: `${input.badRowCount} bad row${input.badRowCount === 1 ? '' : 's'} (line${first.length === 1 ? '' : 's'} ${lines(first)}${input.badRowCount > first.length ? ', …' : ''}): nobody is suspended or deprovisioned from a file that did not read cleanly`,
    });
  }
  if (input.duplicates.total > 0) {
    const shown = input.duplicates.first.slice(0, 3).map((d) => `${d.key} ${d.value} on lines ${d.lines.join(', ')}`);
    failed.push({ check: 'duplicate_keys', confirmable: false, message: `${input.duplicates.total} duplicate key${input.duplicates.total === 1 ? '' : 's'} in the file (${shown.join('; ')}${input.duplicates.total > shown.length ? '; …' : ''})` });
  }
  if (input.previousRowCount !== null && input.previousRowCount > 0) {
    const drop = ((input.previousRowCount - input.rowCount) / input.previousRowCount) * 100;
    if (drop > input.maxRowDropPercent) {
      failed.push({
        check: 'row_count_drop',
        confirmable: true,
        message: `the file has ${input.rowCount} rows, ${drop.toFixed(1)}% fewer than the ${input.previousRowCount} of the last completed run (the limit is ${input.maxRowDropPercent}%)`,
      });
    }
  }
  return failed;
}
