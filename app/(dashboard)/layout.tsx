import type { ReactNode } from 'react';
import { AppShell } from '@/components/layout/app-shell';
import { requireAdmin } from '@/lib/auth/session';
import { adminNav } from '@/lib/nav';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireAdmin();
  return (
    <AppShell user={{ name: user.displayName ?? user.userName, organization: user.organizationName }} nav={adminNav}>
      {children}
    </AppShell>
  );
}
