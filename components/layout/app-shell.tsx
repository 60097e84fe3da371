import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/auth/sign-out-button';
import type { NavItem } from '@/lib/nav';

export function AppShell({ user, nav, children }: { user: { name: string; organization: string }; nav: NavItem[]; children: ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-border bg-card">
        <div className="mx-auto flex h-14 max-w-6xl items-center justify-between px-6">
          <div className="flex items-center gap-8">
            <Link href="/me" className="flex items-center gap-2">
              <span className="grid h-7 w-7 place-items-center rounded-md bg-brand-600 text-sm font-bold text-white">R</span>
              <span className="font-semibold tracking-tight">Roster</span>
              <span className="ml-2 rounded bg-muted px-2 py-0.5 text-xs text-muted-foreground">{user.organization}</span>
            </Link>
            <nav className="flex gap-6 text-sm">
              {nav.map((item) => (
                <Link key={item.href} href={item.href} className="font-medium text-muted-foreground hover:text-foreground">
                  {item.label}
                </Link>
              ))}
            </nav>
          </div>
          <div className="flex items-center gap-4">
            <span className="text-sm text-muted-foreground">{user.name}</span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
