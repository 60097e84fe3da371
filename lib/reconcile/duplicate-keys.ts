import type { StagedRow } from '@/db/queries/reconcile-staging';

/** The staged columns a file's rows are matched by, which must be unique in the file (a duplicate is a sanity error). */
export type KeyField = 'employeeNumber' | 'externalId' | 'email';
export const keyFields: readonly KeyField[] = ['employeeNumber', 'externalId', 'email'];

/**
 * The values that may appear on more than one row, per key, from one pass over the rows as they
 * are staged: each value's 32-bit hash goes into a table, and a value whose hash was seen before is
 * a candidate. Every duplicate is a candidate (its second row hashes as its first did); a few
 * candidates are only hash collisions (about n²/2³³: a hundred or so in a million rows), which SQL
 * rules out by counting the candidates' rows (db/queries/reconcile-diff.ts). This takes the
 * duplicate check off two hash aggregates over every staged row (a second or more of a
 * million-row run) onto the reader, which waits on the COPY anyway.
 *
 * Hand-written (FNV-1a over UTF-16 code units, in an open-addressing table of Uint32: 4 bytes a
 * slot, at most half full, so 8 MB for a million values, where a Set of numbers took several times
 * that) because it is a few lines and no library does this one thing; correctness needs no property
 * of the hash but determinism. Past `MAX_VALUES` values or `MAX_CANDIDATES` candidates of a key it
 * gives up on that key (null), and SQL checks every row.
 */
const MAX_VALUES = 8_000_000;
const MAX_CANDIDATES = 50_000;

/** FNV-1a, 32 bits, never 0 (0 marks an empty slot). */
export function hash32(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return h >>> 0 || 1;
}

/** A set of 32-bit hashes: linear probing in a power-of-two Uint32Array, doubled when half full. */
class HashSet32 {
  private slots = new Uint32Array(1 << 16);
  size = 0;

  /** Adds the hash; false if it was there already. */
  add(h: number): boolean {
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const at = this.slots[i]!;
      if (at === h) return false;
      if (at === 0) {
        this.slots[i] = h;
        if (++this.size * 2 > this.slots.length) this.grow();
        return true;
      }
    }
  }

  private grow() {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    const mask = this.slots.length - 1;
    for (const h of old) {
      if (h === 0) continue;
      let i = h & mask;
      while (this.slots[i] !== 0) i = (i + 1) & mask;
      this.slots[i] = h;
    }
  }
}

export type FinderLimits = { maxValues: number; maxCandidates: number };

class KeyCandidates {
  private seen: HashSet32 | null = new HashSet32();
  private readonly candidates = new Set<string>();

  constructor(private readonly limits: FinderLimits) {}

  add(value: string | null): void {
    if (value === null || !this.seen) return;
    if (this.seen.add(hash32(value))) {
      if (this.seen.size > this.limits.maxValues) this.giveUp();
      return;
    }
    this.candidates.add(value);
    if (this.candidates.size > this.limits.maxCandidates) this.giveUp();
  }

  result(): string[] | null {
    return this.seen ? [...this.candidates] : null;
  }

  private giveUp() {
    this.seen = null;
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
