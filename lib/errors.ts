export const errorCodes = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_input: 400,
  precondition_failed: 412,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  /** The database cannot be reached for now: worth retrying (SCIM adds Retry-After). */
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** The one error type of the domain; each surface (HTTP, SCIM, CLI, forms) maps it to its own shape. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return errorCodes[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

type PgError = { code?: string; constraint_name?: string; message?: string; cause?: unknown };

/** The driver's Postgres error, also when drizzle has wrapped it (DrizzleQueryError.cause). */
export function pgError(error: unknown): PgError | null {
  for (let e = error as PgError | null | undefined, depth = 0; e && depth < 4; e = e.cause as PgError | undefined, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e;
  }
  return null;
}

/** Postgres unique_violation, optionally on one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = pgError(error);
  return e?.code === '23505' && (!constraint || e.constraint_name === constraint);
}

/** The driver's codes for a connection that failed, was cut, or timed out (postgres.js and node:net). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);
/** Postgres: shutting down (57P01/57P02), starting up or in recovery (57P03), connection exceptions (08…), too many connections (53300). */
const UNAVAILABLE_SQLSTATES = /^(57P0[123]|080\d\d|53300)$/;

/**
 * Whether an error means the database is away (down, restarting, unreachable) rather than that the
 * request was wrong: such requests get 503 and may be retried. A missing Unix socket is ENOENT on connect.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (isAppError(error)) return error.code === 'unavailable';
  for (let e = error as { code?: unknown; syscall?: unknown; cause?: unknown } | null | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code !== 'string') continue;
    if (CONNECTION_CODES.has(e.code) || (e.code === 'ENOENT' && e.syscall === 'connect') || UNAVAILABLE_SQLSTATES.test(e.code)) return true;
  }
  return false;
}
