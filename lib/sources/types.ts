/**
 * Authoritative sources for reconciliation: what an HR export or the organization's SCIM directory
 * says about each person, in one door-neutral shape. A source streams its records; reconciliation
 * (lib/reconcile) stages them in PostgreSQL and diffs them against the accounts there. A later IdP
 * API pull (Microsoft Graph, Okta) implements the same interface.
 *
 * Pure types: no imports beyond the account model, so every layer may use them.
 */
import type { Profile } from '@/lib/model/account';

export type SourceKind = 'csv' | 'scim';

/**
 * One person as the source states it. `line` is where the record starts in the file (1-based,
 * counting the header as line 1), or the position in the directory for sources without lines.
 * A matching key absent from the source is `null`.
 */
export type SourceRecord = {
  line: number;
  employeeNumber: string | null;
  externalId: string | null;
  /** Lower-cased and trimmed. */
  email: string | null;
  /** The mapped status: `null` when the source has no status column (treated as active). */
  active: boolean | null;
  /** ISO dates (YYYY-MM-DD), when mapped. */
  startDate: string | null;
  endDate: string | null;
  /** Profile fields the source speaks about (mapped columns only; an empty cell is `null`). */
  profile: Partial<Profile>;
  /** Custom columns mapped to account attributes (`extra.<name>`). */
  extraAttributes: Record<string, string>;
};

/** A row the source could not read: reported with its line, never acted on. */
export type BadRow = { line: number; reason: string };

export type SourceItem = { kind: 'record'; record: SourceRecord } | { kind: 'bad'; bad: BadRow };

/** The fields a column can map to. `ignore` drops the column. */
export const mappableFields = [
  'employeeNumber',
  'externalId',
  'email',
  'status',
  'startDate',
  'endDate',
  'userName',
  'displayName',
  'givenName',
  'familyName',
  'department',
  'title',
  'manager',
] as const;
export type MappableField = (typeof mappableFields)[number];

/**
 * A saved column mapping: source column header -> field, or `extra.<name>` for a custom attribute.
 * Header comparison is exact after trimming (and a UTF-8 BOM stripped from the first header).
 */
export type ColumnMap = Record<string, MappableField | `extra.${string}`>;

/** Source status value (compared case-insensitively, trimmed) -> active or inactive. */
export type StatusMap = Record<string, 'active' | 'inactive'>;

export type SourceMapping = { columns: ColumnMap; statuses: StatusMap };

/**
 * What a source yields: records and bad rows in file order, a batch at a time (a file's chunk, a
 * directory's page), so a million-row source does not pay a turn of async iteration per row
 * (measured: a fifth of a 1M-row run's reading). `items` in lib/sources/items.ts gives them one by one.
 */
export interface RecordSource {
  readonly kind: SourceKind;
  /** Streams the items in batches; never holds the whole source in memory. */
  batches(): AsyncIterable<SourceItem[]>;
}
