import type { ReactNode } from 'react';
import { AppShell } from '@/components/layout/app-shell';
import { isAdmin, requireUser } from '@/lib/auth/session';
import { adminNav, userNav } from '@/lib/nav';

export default async function UserLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const nav = (await isAdmin(user)) ? adminNav : userNav;
  return (
    <AppShell user={{ name: user.displayName ?? user.userName, organization: user.organizationName }} nav={nav}>
      {children}
    </AppShell>
  );
}
