import type { Database } from '@/db';
import { openStagingCopy, type StagedRow } from '@/db/queries/reconcile-staging';
import type { BadRow, RecordSource, SourceRecord } from '@/lib/sources/types';
import { DuplicateFinder, type DuplicateCandidates } from './duplicate-keys';

/** How many bad rows a run keeps with their lines (all are counted). */
export const BAD_ROWS_KEPT = 100;
const BATCH = 2_000;

export type StageResult = {
  rowCount: number;
  badRowCount: number;
  badRows: BadRow[];
  /** The key values that may be on several rows (see duplicate-keys.ts), for the diff's duplicate check. */
  duplicateCandidates: DuplicateCandidates;
};

const trimmed = (value: string | null | undefined) => {
  const t = value?.trim();
  return t ? t : null;
};

/** The SCIM-directory source names the account a record is (lib/sources/scim-directory.ts). */
const accountIdOf = (record: SourceRecord) => ('accountId' in record && typeof record.accountId === 'string' ? record.accountId : null);

export function toStagedRow(record: SourceRecord): StagedRow {
  const p = record.profile;
  const extra = Object.keys(record.extraAttributes).length > 0 ? record.extraAttributes : null;
  return {
    line: record.line,
    employeeNumber: trimmed(record.employeeNumber),
    externalId: trimmed(record.externalId),
    email: trimmed(record.email)?.toLowerCase() ?? null,
    accountId: accountIdOf(record),
    active: record.active,
    startDate: record.startDate,
    endDate: record.endDate,
    userName: p.userName ?? null,
    displayName: p.displayName ?? null,
    givenName: p.givenName ?? null,
    familyName: p.familyName ?? null,
    department: p.department ?? null,
    title: p.title ?? null,
    manager: p.manager ?? null,
    extraAttributes: extra,
  };
}

/**
 * Streams a source into the run's staging rows (COPY, in batches: the source is never held whole),
 * counting records and bad rows, keeping the first bad rows with their lines, and noting the
 * values of `keys` (the match keys) that may be duplicates. A source that throws (a header that
 * does not match the mapping, a read error) aborts the COPY and rethrows.
 */
export async function stageRecords(db: Database, runId: string, source: RecordSource, keys: readonly string[] = []): Promise<StageResult> {
  const copy = await openStagingCopy(db, runId);
  const result: StageResult = { rowCount: 0, badRowCount: 0, badRows: [], duplicateCandidates: {} };
  const duplicates = new DuplicateFinder(keys);
  let batch: StagedRow[] = [];
  try {
    for await (const items of source.batches()) {
      for (const item of items) {
        if (item.kind === 'bad') {
          result.badRowCount += 1;
          if (result.badRows.length < BAD_ROWS_KEPT) result.badRows.push(item.bad);
          continue;
        }
        result.rowCount += 1;
        const row = toStagedRow(item.record);
        duplicates.add(row);
        batch.push(row);
      }
      if (batch.length >= BATCH) {
        await copy.write(batch);
        batch = [];
      }
    }
    await copy.write(batch);
    await copy.end();
    result.duplicateCandidates = duplicates.result();
  } catch (error) {
    copy.abort(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  return result;
}
