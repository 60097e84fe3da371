import type { Database } from '@/db';
import { getAccountById } from '@/db/queries/accounts';
import { getAuditEventOfAction } from '@/db/queries/audit-events';
import { getConnectionById } from '@/db/queries/connections';
import type { AuditEventData } from '@/lib/audit/events';
import { isLoginRefusalReason, loginRefusals } from '@/lib/jit/login-refusal';
import type { LoginPreview } from '@/lib/jit/preview-login';

type TestEventData = AuditEventData['connection.test_sign_in'];

/**
 * A test sign-in's result page: the audit event `connection.test_sign_in` it was kept as, only of
 * this organization and this connection (anything else: null, a 404). The refusal reads as the
 * person signing in would have been told.
 */
export async function loadTestSignInResult(db: Database, organizationId: string, connectionId: string, eventId: string) {
  if (!/^\d{1,15}$/.test(eventId)) return null;
  const event = await getAuditEventOfAction(db, organizationId, 'connection.test_sign_in', Number(eventId));
  if (!event || event.targetId !== connectionId || !event.data) return null;
  const data = event.data as TestEventData;
  const [connection, admin] = await Promise.all([getConnectionById(db, connectionId), event.actorId ? getAccountById(db, organizationId, event.actorId) : null]);
  const preview = (data.preview ?? null) as LoginPreview | null;
  const reason = data.reason && isLoginRefusalReason(data.reason) ? data.reason : null;
  const accountId = preview && (preview.decision.kind === 'update' || preview.decision.kind === 'link') ? preview.decision.accountId : null;
  const account = accountId ? await getAccountById(db, organizationId, accountId) : null;
  return {
    id: event.id,
    at: event.createdAt,
    connection: { id: connectionId, name: connection?.name ?? data.name, protocol: data.protocol },
    testedBy: admin ? (admin.displayName ?? admin.userName) : 'an administrator',
    outcome: data.outcome,
    refusal: reason ? { reason, message: loginRefusals[reason], detail: data.detail } : null,
    preview,
    account: account ? { id: account.id, label: account.displayName ?? account.userName, status: account.status } : null,
  };
}
export type TestSignInResultPage = NonNullable<Awaited<ReturnType<typeof loadTestSignInResult>>>;
