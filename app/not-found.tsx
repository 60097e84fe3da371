import { CompassIcon } from 'lucide-react';
import Link from 'next/link';
import { AuthShell } from '@/components/auth/auth-shell';

/** The branded 404. */
export default function NotFound() {
  return (
    <AuthShell title="Page not found">
      <div className="flex items-start gap-3">
        <CompassIcon aria-hidden className="mt-0.5 size-5 shrink-0 text-muted-foreground" />
        <p className="text-sm text-muted-foreground">There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      </div>
      <div className="mt-6 flex gap-4 text-sm font-semibold">
        <Link href="/admin" className="text-primary hover:underline">
          Admin console
        </Link>
        <Link href="/me" className="text-primary hover:underline">
          My access
        </Link>
      </div>
    </AuthShell>
  );
}
