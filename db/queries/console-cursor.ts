import { isUuid } from '@/lib/ids';

/**
 * The console's opaque keyset cursors: a position in one list order, the sort key's value as
 * Postgres printed it (`key::text`, so timestamps keep their microseconds) and the row's id, which
 * breaks ties. base64url JSON, not signed: a cursor only says where to start reading, within what
 * the query's organization and filter allow anyway. A cursor that does not parse, or was made for
 * another order, is no cursor (the first page), rather than an error a pasted URL could cause.
 */
export type Position = { key: string; id: string };
export type Direction = 'next' | 'prev';

type Encoded = { o: string; k: string; i: string };

export function encodeCursor(order: string, position: Position): string {
  const encoded: Encoded = { o: order, k: position.key, i: position.id };
  return Buffer.from(JSON.stringify(encoded)).toString('base64url');
}

/** The position a cursor holds, if it is well formed, made for `order`, and its key and id pass the checks (ids: uuids unless told). */
export function decodeCursor(cursor: string | null | undefined, order: string, validKey: (key: string) => boolean, validId: (id: unknown) => boolean = isUuid): Position | null {
  if (!cursor || cursor.length > 512) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { o, k, i } = parsed as Partial<Encoded>;
  if (o !== order || typeof k !== 'string' || typeof i !== 'string' || !validId(i) || !validKey(k)) return null;
  return { key: k, id: i };
}

/** `2026-01-31 12:34:56.123456+00` (or with minutes in the offset), or -infinity / infinity: what `timestamptz::text` prints with DateStyle ISO. */
export const isTimestampText = (key: string) => /^(-?infinity|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2})$/.test(key);

/**
 * A page read `limit + 1` rows in reading order (backwards for 'prev'): the page in display order,
 * and the cursors to the pages either side (null: nothing there). Reading forwards from a cursor
 * there is something before it; reading backwards, something after it.
 */
export function pageOf<R>(read: R[], limit: number, direction: Direction, from: Position | null, positionOf: (row: R) => Position, order: string) {
  const more = read.length > limit;
  const rows = more ? read.slice(0, limit) : read;
  if (direction === 'prev') rows.reverse();
  const first = rows[0];
  const last = rows.at(-1);
  const cursor = (row: R | undefined) => (row ? encodeCursor(order, positionOf(row)) : from ? encodeCursor(order, from) : null);
  if (direction === 'next') return { rows, nextCursor: more ? cursor(last) : null, prevCursor: from ? cursor(first) : null };
  return { rows, prevCursor: more ? cursor(first) : null, nextCursor: from ? cursor(last) : null };
}
