import SCIMMY from 'scimmy';
import { isAppError, isDatabaseUnavailable, isUniqueViolation, type ErrorCode } from '@/lib/errors';
import type { JsonObject } from './normalize';

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ScimType =
  | 'uniqueness'
  | 'tooMany'
  | 'invalidFilter'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** An error the SCIM surface answers with an RFC 7644 §3.12 body (status as a string). */
export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | null;
  constructor(status: number, scimType: ScimType | null, detail: string) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
  }
}

export const badRequest = (scimType: ScimType, detail: string) => new ScimError(400, scimType, detail);
export const notFound = (what: string) => new ScimError(404, null, `${what} not found`);

const appErrorScimType: Partial<Record<ErrorCode, ScimType>> = { conflict: 'uniqueness', invalid_input: 'invalidValue' };

/** Any error thrown while serving a request, as the SCIM error to answer with. */
export function toScimError(error: unknown): ScimError {
  if (error instanceof ScimError) return error;
  if (error instanceof SCIMMY.Types.Error) {
    return new ScimError(error.status, (error.scimType as ScimType | null) ?? null, error.message);
  }
  if (isUniqueViolation(error)) return new ScimError(409, 'uniqueness', 'A resource with this unique attribute value already exists.');
  if (isDatabaseUnavailable(error)) return new ScimError(503, null, 'The service cannot reach its database for the moment; retry shortly.');
  if (isAppError(error)) {
    const named = typeof error.details?.scimType === 'string' ? (error.details.scimType as ScimType) : undefined;
    return new ScimError(error.status, named ?? appErrorScimType[error.code] ?? null, error.message);
  }
  return new ScimError(500, null, 'Internal error');
}

/** scimmy's coercion throws plain TypeErrors for bad values: those are the client's fault (400 invalidValue). */
export function coerceOrThrow<T>(coerce: () => T): T {
  try {
    return coerce();
  } catch (error) {
    if (error instanceof SCIMMY.Types.Error) throw toScimError(error);
    if (error instanceof TypeError) throw badRequest('invalidValue', error.message);
    throw error;
  }
}

/** The error body, through scimmy's ErrorResponse where it knows the status (it refuses e.g. 405, 415). */
export function errorBody(error: ScimError): JsonObject {
  const cause = { status: error.status, scimType: error.scimType ?? undefined, detail: error.message };
  try {
    return JSON.parse(JSON.stringify(new SCIMMY.Messages.ErrorResponse(cause as ConstructorParameters<typeof SCIMMY.Messages.ErrorResponse>[0]))) as JsonObject;
  } catch {
    return { schemas: [ERROR_SCHEMA], status: String(error.status), ...(error.scimType ? { scimType: error.scimType } : {}), detail: error.message };
  }
}
