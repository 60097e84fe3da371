/**
 * decodeURIComponent, or `fallback` when the text holds a malformed percent-escape (`%ZZ`,
 * `%E0%A4%A`), where decodeURIComponent throws URIError. Text from a request (a path segment, a
 * return path) can hold anything, and that throw was a 500 wherever it went unguarded.
 */
export function decodeUriOr<T>(text: string, fallback: T): string | T {
  try {
    return decodeURIComponent(text);
  } catch {
    return fallback;
  }
}
