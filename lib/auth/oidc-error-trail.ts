import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerInstance } from 'next-auth';

/** What next-auth logged as an error while it handled one request. */
export type LoggedError = { code: string; message: string };

const trail = new AsyncLocalStorage<LoggedError[]>();

/**
 * next-auth's logger. next-auth keeps one logger for the whole process (setLogger on every
 * request), so it is the same object for every request and remembers nothing itself: each error
 * goes to the trail of the request it was logged in (AsyncLocalStorage), where auditOidcFailure
 * reads the cause of a failed sign-in, and to the server log as next-auth's own logger would.
 */
export const authLogger: Partial<LoggerInstance> = {
  error(code, metadata) {
    trail.getStore()?.push({ code, message: safeDetail(messageOf(metadata)) });
    console.error(`[next-auth][error][${code}]`, metadata);
  },
};

/** Runs one next-auth request, collecting the errors it logs. */
export async function withErrorTrail<T>(run: () => Promise<T>): Promise<{ result: T; errors: LoggedError[] }> {
  const errors: LoggedError[] = [];
  const result = await trail.run(errors, run);
  return { result, errors };
}

function messageOf(metadata: unknown): string {
  if (metadata instanceof Error) return metadata.message;
  if (typeof metadata === 'object' && metadata !== null) {
    const { error, message } = metadata as { error?: unknown; message?: unknown };
    if (error instanceof Error) return error.message;
    if (typeof message === 'string') return message;
  }
  return '';
}

/**
 * A message fit for the audit trail: a JWT, or anything long enough to be a token, code, state or nonce
 * (openid-client puts the values it compared into its messages) becomes "…"; printable ASCII
 * only, at most 200 characters.
 */
export function safeDetail(message: string): string {
  return message
    .replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '…')
    .replace(/[A-Za-z0-9_+/=-]{24,}/g, '…')
    .replace(/[^\x20-\x7e…]/g, '')
    .trim()
    .slice(0, 200);
}
