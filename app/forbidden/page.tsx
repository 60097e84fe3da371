import Link from 'next/link';
import { AuthShell } from '@/components/auth/auth-shell';

export default function ForbiddenPage() {
  return (
    <AuthShell title="You don’t have access to this page">
      <p className="text-sm text-slate-700">The admin console is for your organization’s Roster administrators.</p>
      <Link href="/me" className="mt-6 inline-block text-sm font-semibold text-brand-700 hover:underline">
        Go to My access
      </Link>
    </AuthShell>
  );
}
