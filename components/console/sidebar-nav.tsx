'use client';

import { ActivityIcon, ArmchairIcon, BoxesIcon, GitCompareArrowsIcon, GitMergeIcon, KeyRoundIcon, LayoutDashboardIcon, PlugIcon, RadioTowerIcon, WorkflowIcon, MoonIcon, ScrollTextIcon, Settings2Icon, ShieldCheckIcon, TimerIcon, UserRoundIcon, UsersIcon, type LucideIcon } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { NavIcon, NavItem } from '@/lib/nav';
import { cn } from '@/lib/utils';

const icons: Record<NavIcon, LucideIcon> = { overview: LayoutDashboardIcon, accounts: UsersIcon, jobs: TimerIcon, audit: ScrollTextIcon, people: ShieldCheckIcon, dormancy: MoonIcon, seats: ArmchairIcon, reconciliation: GitCompareArrowsIcon, connections: PlugIcon, rules: WorkflowIcon, roles: KeyRoundIcon, groups: BoxesIcon, conflicts: GitMergeIcon, scim: RadioTowerIcon, settings: Settings2Icon, me: UserRoundIcon };

/** The console's pages under their section headings; the current one is marked with aria-current="page". */
export function SidebarNav({ items, onNavigate }: { items: NavItem[]; onNavigate?: () => void }) {
  const pathname = usePathname();
  const groups: { section: string | undefined; items: NavItem[] }[] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last && last.section === item.section) last.items.push(item);
    else groups.push({ section: item.section, items: [item] });
  }
  return (
    <nav aria-label="Console" className="flex flex-col gap-3">
      {groups.map((group, i) => (
        <div key={group.section ?? `top-${i}`} className="flex flex-col gap-0.5">
          {group.section ? <p className="px-3 pb-1 text-xs font-semibold tracking-wide text-muted-foreground uppercase">{group.section}</p> : null}
          {group.items.map((item) => {
            const current = item.exact ? pathname === item.href : pathname === item.href || pathname.startsWith(`${item.href}/`);
            const Icon = item.icon ? icons[item.icon] : ActivityIcon;
            return (
              <Link
                key={item.href}
                href={item.href}
                onClick={onNavigate}
                aria-current={current ? 'page' : undefined}
                className={cn(
                  'flex items-center gap-3 rounded-md px-3 py-1.5 text-sm font-medium text-muted-foreground hover:bg-accent hover:text-accent-foreground',
                  current && 'bg-accent text-accent-foreground',
                )}
              >
                <Icon aria-hidden className="size-4" />
                {item.label}
              </Link>
            );
          })}
        </div>
      ))}
    </nav>
  );
}
