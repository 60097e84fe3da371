import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getDb } from '@/db';
import { getConnectionById } from '@/db/queries/connections';
import { AuthShell } from '@/components/auth/auth-shell';
import { SsoRedirect } from '@/components/auth/sso-redirect';
import { loginRefusals } from '@/lib/jit/login-refusal';
import { safeReturnTo } from '@/lib/utils';

export const metadata: Metadata = { title: 'Single sign-on' };

/** The direct sign-in link of one connection: /sso/<connection id>. */
export default async function SsoPage({ params, searchParams }: { params: Promise<{ connectionId: string }>; searchParams: Promise<{ returnTo?: string; login_hint?: string }> }) {
  const { connectionId } = await params;
  const query = await searchParams;
  const returnTo = safeReturnTo(query.returnTo);
  const loginHint = typeof query.login_hint === 'string' ? query.login_hint.slice(0, 320) : undefined;
  const connection = await getConnectionById(getDb(), connectionId);
  if (!connection || !connection.enabled) {
    return (
      <AuthShell title="This sign-in link doesn’t work">
        <p className="text-sm text-muted-foreground">{connection ? loginRefusals.connection_disabled : loginRefusals.unknown_connection}</p>
        <Link href="/login" className="mt-6 inline-block text-sm font-semibold text-primary hover:underline">
          Sign in with your email instead
        </Link>
      </AuthShell>
    );
  }
  if (connection.protocol === 'saml') redirect(`/api/saml/${connection.id}/login?returnTo=${encodeURIComponent(returnTo)}`);
  return (
    <AuthShell title={`Sign in with ${connection.name}`}>
      <SsoRedirect connectionId={connection.id} name={connection.name} returnTo={returnTo} loginHint={loginHint} />
    </AuthShell>
  );
}
