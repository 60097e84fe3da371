/**
 * Text PostgreSQL can store. A `text` or `jsonb` value holds no U+0000, and a lone UTF-16 surrogate
 * has no UTF-8 form: both arrive from outside (a SCIM body or filter, an IdP's claim, an id in a
 * path) and, written as they are, fail the statement that carries them.
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why PostgreSQL could not store this string (U+0000, or a lone UTF-16 surrogate), or null. */
export function unstorable(text: string): string | null {
  if (text.includes('\u0000')) return 'contains the character U+0000';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate';
  return null;
}

/** The string with U+0000 and each lone surrogate replaced by U+FFFD: for what is only recorded (logs, audit details), never for an identifier. */
export function storableText(text: string): string {
  return (text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text).toWellFormed();
}

/** The first `length` UTF-16 units, one fewer where the cut would split a surrogate pair. */
export function cutText(text: string, length: number): string {
  const cut = text.slice(0, length);
  return /[\ud800-\udbff]$/.test(cut) && /^[\udc00-\udfff]/.test(text.slice(length)) ? cut.slice(0, -1) : cut;
}
