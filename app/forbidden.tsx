import { ShieldXIcon } from 'lucide-react';
import Link from 'next/link';
import { AuthShell } from '@/components/auth/auth-shell';

/** 403, from forbidden(): the console is for the organization's administrators and auditors. */
export default function Forbidden() {
  return (
    <AuthShell title="You don’t have access to this page">
      <div className="flex items-start gap-3" data-status="403">
        <ShieldXIcon aria-hidden className="mt-0.5 size-5 shrink-0 text-muted-foreground" />
        <p className="text-sm text-muted-foreground">The admin console is for your organization’s Roster administrators and auditors. Ask one of them for access.</p>
      </div>
      <Link href="/me" className="mt-6 inline-block text-sm font-semibold text-primary hover:underline">
        Go to My access
      </Link>
    </AuthShell>
  );
}
