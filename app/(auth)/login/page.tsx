import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthShell } from '@/components/auth/auth-shell';
import { EmailDiscoveryForm } from '@/components/auth/email-discovery-form';
import { discoverAction } from './actions';
import { getCurrentUser } from '@/lib/auth/session';
import { safeReturnTo } from '@/lib/utils';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ returnTo?: string }> }) {
  const returnTo = safeReturnTo((await searchParams).returnTo);
  if (await getCurrentUser()) redirect(returnTo);
  return (
    <AuthShell title="Sign in to Roster" subtitle="Use your company account. We’ll send you to your identity provider.">
      <EmailDiscoveryForm returnTo={returnTo} discover={discoverAction} />
    </AuthShell>
  );
}
