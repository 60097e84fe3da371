import type { NavItem } from '@/components/layout/app-shell';

export const userNav: NavItem[] = [{ href: '/me', label: 'My access' }];
export const adminNav: NavItem[] = [...userNav, { href: '/admin/accounts', label: 'Accounts' }];
