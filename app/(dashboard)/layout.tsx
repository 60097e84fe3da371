import type { ReactNode } from 'react';
import { ConsoleShell } from '@/components/console/console-shell';
import { requireConsole } from '@/lib/auth/session';
import { searchAccounts } from './admin/search-action';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireConsole();
  return (
    <ConsoleShell user={{ name: user.displayName ?? user.userName, userName: user.userName, organization: user.organizationName, role: user.role }} search={searchAccounts}>
      {children}
    </ConsoleShell>
  );
}
