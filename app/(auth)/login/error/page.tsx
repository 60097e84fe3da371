import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthShell } from '@/components/auth/auth-shell';
import { isLoginRefusalReason, loginRefusals } from '@/lib/jit/login-refusal';

export const metadata: Metadata = { title: 'Sign-in refused' };

/** next-auth's own error codes (OAuthCallback, Configuration, …) are protocol failures to the person. */
function messageFor(reason: string | undefined, error: string | undefined): string {
  if (isLoginRefusalReason(reason)) return loginRefusals[reason];
  if (error === 'AccessDenied') return 'Access was denied.';
  if (error) return loginRefusals.protocol_error;
  return 'Sign-in did not complete. Please try again.';
}

export default async function LoginErrorPage({ searchParams }: { searchParams: Promise<{ reason?: string; error?: string }> }) {
  const { reason, error } = await searchParams;
  return (
    <AuthShell title="We couldn’t sign you in">
      <p className="text-sm text-muted-foreground" role="alert" data-reason={isLoginRefusalReason(reason) ? reason : (error ?? 'unknown')}>
        {messageFor(reason, error)}
      </p>
      <p className="mt-4 text-xs text-muted-foreground">
        Reference: {isLoginRefusalReason(reason) ? reason : (error ?? 'unknown')}. Your administrator can see this attempt in the audit log.
      </p>
      <Link href="/login" className="mt-6 inline-block text-sm font-semibold text-primary hover:underline">
        Back to sign-in
      </Link>
    </AuthShell>
  );
}
