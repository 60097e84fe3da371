import type { z } from 'zod';
import type { Database, Tx } from '@/db';
import { isAppError, type ErrorCode } from '@/lib/errors';
import { storableText, unstorable } from '@/lib/model/storable-text';
import { inTransaction, type CommandContext } from '@/lib/lifecycle/context';
import type { AdminGate, AdminPrincipal } from './admin-gate';

/** What a console form shows after an action: the result, or an error for the form (never a 500). */
export type ActionState<T = unknown> = { ok?: true; data?: T; error?: string; fieldErrors?: Record<string, string[]> };

/** Failures the person can act on are answered as `{ error }`; anything else is a bug and is thrown. */
const EXPECTED: ErrorCode[] = ['invalid_input', 'not_found', 'conflict', 'forbidden', 'precondition_failed', 'rate_limited', 'unavailable'];

export type ActionContext = { db: Database; admin: AdminPrincipal; tx: Tx; command: CommandContext };

/**
 * The console's server-action wrapper, without Next.js (actions.ts binds it to the request):
 * authenticate first, then parse the form with zod, then run the handler as one lifecycle unit of
 * work with the admin as the audit actor. Expected failures come back as `{ error }`
 * (useActionState shows them in the form); a refused caller is audited in their organization.
 */
export function defineAdminAction<S extends z.ZodType, T>(
  name: string,
  schema: S,
  handler: (input: z.infer<S>, ctx: ActionContext) => Promise<T>,
  deps: { db: () => Database; gate: () => Promise<AdminGate>; onSignedOut: () => never },
) {
  return async (_previous: ActionState<T> | undefined, form: FormData): Promise<ActionState<T>> => {
    const db = deps.db();
    const gate = await deps.gate();
    if (gate.kind === 'signed_out') return deps.onSignedOut();
    if (gate.kind === 'forbidden') {
      await inTransaction(db, { actor: { type: 'user', id: gate.accountId } }, async (_tx, ctx) =>
        ctx.record({ organizationId: gate.organizationId, actor: ctx.actor, action: 'admin.action_refused', target: { type: 'account', id: gate.accountId }, data: { action: name, reason: 'not an administrator' } }),
      );
      return { error: 'Only an administrator of this organization can do that.' };
    }
    const fields = formObject(form);
    const unstorableFields = unstorableFieldErrors(fields);
    if (unstorableFields) return { error: 'Check the highlighted fields.', fieldErrors: unstorableFields };
    const parsed = schema.safeParse(fields);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) (fieldErrors[issue.path.join('.') || 'form'] ??= []).push(issue.message);
      return { error: 'Check the highlighted fields.', fieldErrors };
    }
    const admin = gate.admin;
    try {
      const data = await inTransaction(db, { actor: admin.actor }, (tx, command) => handler(parsed.data, { db, admin, tx, command }));
      return { ok: true, data };
    } catch (error) {
      if (isAppError(error) && EXPECTED.includes(error.code)) return { error: error.message };
      throw error;
    }
  };
}

/** FormData as an object; repeated names become arrays (checkboxes, multi-selects). */
function formObject(form: FormData): Record<string, FormDataEntryValue | FormDataEntryValue[]> {
  const out: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key);
    out[key] = all.length > 1 ? all : all[0]!;
  }
  return out;
}

/**
 * A field whose text PostgreSQL could not store (U+0000; a lone surrogate, which a browser's form
 * never sends but a crafted request can) is refused here, for every action at once: written, it
 * failed the action's statement, an error page instead of a form message.
 */
function unstorableFieldErrors(fields: Record<string, FormDataEntryValue | FormDataEntryValue[]>): Record<string, string[]> | null {
  let errors: Record<string, string[]> | null = null;
  for (const [key, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const problem = unstorable(key) ?? (typeof item === 'string' ? unstorable(item) : null);
      if (problem) (errors ??= {})[storableText(key)] = [`This ${problem}, which cannot be stored.`];
    }
  }
  return errors;
}
