import type { Database } from '@/db';
import { insertAuditEventReturningId } from '@/db/queries/audit-events';
import { getConnectionById } from '@/db/queries/connections';
import { toAuditRow } from '@/lib/audit/record-event';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { loginRefusals, type LoginRefusalReason } from '@/lib/jit/login-refusal';
import { previewLogin, type LoginPreview } from '@/lib/jit/preview-login';
import type { VerifiedIdentity } from '@/lib/jit/provision-user';
import { inTransaction } from '@/lib/lifecycle/context';
import { recordLoginRefusal } from '@/lib/lifecycle/login/record-refusal';
import type { TestSignIn } from './test-sign-in-cookie';

/** What came back from the IdP: a verified identity, or the refusal the protocol path decided. */
export type TestAnswer = { identity: VerifiedIdentity } | { failure: { reason: LoginRefusalReason; detail?: string | null } };
export type TestSignInResult = { ok: true; eventId: number; location: string } | { ok: false; reason: LoginRefusalReason; location: string };

export const testResultPath = (connectionId: string, eventId: number) => `/admin/connections/${connectionId}/test/${eventId}`;
const refusedPath = (reason: LoginRefusalReason) => `/login/error?reason=${reason}`;

/**
 * The end of a test sign-in (started at /admin/connections/<id>/test): instead of signing anyone in,
 * the answer is previewed (lib/jit/preview-login.ts: nothing written) and the result kept as the
 * audit event `connection.test_sign_in` of the admin who started it, whose page shows it. Only while
 * the admin's session named by the test cookie is still live and still an admin of the connection's
 * organization; otherwise the sign-in is refused (test_sign_in_invalid, audited) and nothing else
 * happens — a test never falls through to a real sign-in.
 */
export async function finishTestSignIn(db: Database, test: TestSignIn, answer: TestAnswer, request: { ip?: string | null; requestId?: string | null } = {}): Promise<TestSignInResult> {
  const connection = await getConnectionById(db, test.connectionId);
  const gate = await resolveAdmin(db, test.sessionId, request);
  const live = gate.kind === 'admin' && gate.admin.accountId === test.accountId && gate.admin.organizationId === test.organizationId;
  if (!connection || gate.kind !== 'admin' || !live || connection.organizationId !== gate.admin.organizationId) {
    const actor = { type: 'user' as const, id: 'identity' in answer ? answer.identity.subject : null, ip: request.ip, requestId: request.requestId };
    const record = { organizationId: connection?.organizationId ?? null, reason: 'test_sign_in_invalid', detail: `admin session ${gate.kind === 'admin' ? 'of another account' : gate.kind}`, connectionId: test.connectionId, protocol: connection?.protocol ?? null };
    await inTransaction(db, { actor }, async (tx, ctx) => recordLoginRefusal(tx, record, ctx));
    return { ok: false, reason: 'test_sign_in_invalid', location: refusedPath('test_sign_in_invalid') };
  }
  const preview: LoginPreview | null = 'identity' in answer ? await previewLogin(db, connection.organizationId, answer.identity) : null;
  const refusal = 'failure' in answer ? { reason: answer.failure.reason, message: loginRefusals[answer.failure.reason], detail: answer.failure.detail ?? undefined } : preview?.refusal;
  const eventId = await insertAuditEventReturningId(
    db,
    toAuditRow({
      organizationId: connection.organizationId,
      actor: gate.admin.actor,
      action: 'connection.test_sign_in',
      target: { type: 'connection', id: connection.id },
      data: {
        name: connection.name,
        protocol: connection.protocol,
        outcome: preview && !preview.refusal && preview.decision.kind !== 'refused' ? preview.decision.kind : 'refused',
        reason: refusal?.reason ?? null,
        detail: refusal?.detail ?? null,
        preview: preview as Record<string, unknown> | null,
      },
    }),
  );
  return { ok: true, eventId, location: testResultPath(connection.id, eventId) };
}
