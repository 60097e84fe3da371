import type { StagedRow } from '@/db/queries/reconcile-staging';

/** The staged columns a file's rows are matched by, which must be unique in the file (a duplicate is a sanity error). */
export type KeyField = 'employeeNumber' | 'externalId' | 'email';
export const keyFields: readonly KeyField[] = ['employeeNumber', 'externalId', 'email'];

/**
 * The values that may appear on more than one row, per key, from one pass over the rows as they
 * are staged: each value's 30-bit hash goes into a set, and a value whose hash was seen before is a
 * candidate. Every duplicate is a candidate (its second row hashes as its first did); a few
 * candidates are only hash collisions (about n²/2³¹: some hundreds in a million rows), which SQL
 * rules out by counting the candidates' rows (db/queries/reconcile-diff.ts). This takes the
 * duplicate check off two hash aggregates over every staged row (a second or more of a
 * million-row run) onto the reader, which waits on the COPY anyway.
 *
 * Hand-written (FNV-1a over UTF-16 code units, in a Set of small integers) because it is ten
 * lines and no library does this one thing; correctness needs no property of the hash but
 * determinism. Past `MAX_VALUES` values or `MAX_CANDIDATES` candidates of a key it gives up on
 * that key (null), and SQL checks every row.
 */
const MAX_VALUES = 8_000_000;
const MAX_CANDIDATES = 50_000;

export function hash30(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  // 30 bits: a small integer in V8 (a Set of them holds no heap numbers).
  return h >>> 2;
}

export type FinderLimits = { maxValues: number; maxCandidates: number };

class KeyCandidates {
  private readonly seen = new Set<number>();
  private readonly candidates = new Set<string>();
  private overflow = false;

  constructor(private readonly limits: FinderLimits) {}

  add(value: string | null): void {
    if (value === null || this.overflow) return;
    const h = hash30(value);
    if (!this.seen.has(h)) {
      if (this.seen.size >= this.limits.maxValues) this.giveUp();
      else this.seen.add(h);
      return;
    }
    this.candidates.add(value);
    if (this.candidates.size > this.limits.maxCandidates) this.giveUp();
  }

  result(): string[] | null {
    return this.overflow ? null : [...this.candidates];
  }

  private giveUp() {
    this.overflow = true;
    this.seen.clear();
    this.candidates.clear();
  }
}

/** For each key: the values to check (maybe on several rows), or null (check every row). */
export type DuplicateCandidates = Partial<Record<KeyField, string[] | null>>;

export class DuplicateFinder {
  private readonly keys: [KeyField, KeyCandidates][];

  constructor(keys: readonly string[], limits: FinderLimits = { maxValues: MAX_VALUES, maxCandidates: MAX_CANDIDATES }) {
    this.keys = keyFields.filter((k) => keys.includes(k)).map((k) => [k, new KeyCandidates(limits)]);
  }

  add(row: StagedRow): void {
    for (const [key, candidates] of this.keys) candidates.add(row[key]);
  }

  result(): DuplicateCandidates {
    return Object.fromEntries(this.keys.map(([key, candidates]) => [key, candidates.result()]));
  }
}
