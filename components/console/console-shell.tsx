import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { ThemeToggle } from '@/components/theme/theme-toggle';
import { Badge } from '@/components/ui/badge';
import { consoleNav } from '@/lib/nav';
import { MobileNav } from './mobile-nav';
import { QuickSearch, type QuickSearchHit } from './quick-search';
import { SidebarNav } from './sidebar-nav';

type ShellUser = { name: string; userName: string; organization: string; role: 'admin' | 'auditor' };

function Brand({ organization }: { organization: string }) {
  return (
    <div className="flex items-center gap-2">
      <span aria-hidden className="grid size-8 place-items-center rounded-md bg-primary text-sm font-bold text-primary-foreground">
        R
      </span>
      <div className="min-w-0 leading-tight">
        <p className="text-sm font-semibold">Roster</p>
        <p className="truncate text-xs text-muted-foreground" title={organization}>
          {organization}
        </p>
      </div>
    </div>
  );
}

function Who({ user }: { user: ShellUser }) {
  return (
    <div className="space-y-2">
      <p className="truncate text-sm font-medium" title={user.userName}>
        {user.name}
      </p>
      <div className="flex items-center justify-between gap-2">
        <Badge tone={user.role === 'admin' ? 'blue' : 'slate'}>{user.role === 'admin' ? 'Administrator' : 'Auditor (read-only)'}</Badge>
        <SignOutButton />
      </div>
    </div>
  );
}

/** The console's frame: a sidebar (organization, sections, the signed-in admin) and a top bar with quick search. */
export function ConsoleShell({ user, search, children }: { user: ShellUser; search: (query: string) => Promise<QuickSearchHit[]>; children: ReactNode }) {
  return (
    <div className="flex min-h-screen">
      <aside className="sticky top-0 hidden h-screen w-60 shrink-0 flex-col border-r bg-sidebar lg:flex">
        <div className="border-b p-4">
          <Brand organization={user.organization} />
        </div>
        <div className="flex-1 overflow-y-auto p-3">
          <SidebarNav items={consoleNav} />
        </div>
        <div className="border-t p-4">
          <Who user={user} />
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <div className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b bg-background/95 px-4 backdrop-blur lg:px-8">
          <MobileNav items={consoleNav} header={<Brand organization={user.organization} />} footer={<Who user={user} />} />
          <div className="flex-1">
            <QuickSearch search={search} />
          </div>
          <ThemeToggle />
        </div>
        <main id="main" className="mx-auto w-full max-w-7xl flex-1 space-y-6 px-4 py-6 lg:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
