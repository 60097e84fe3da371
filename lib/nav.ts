/** Navigation is data: the shells render whichever list the signed-in person may see. */
export type NavItem = { href: string; label: string; icon?: NavIcon; exact?: boolean };
export type NavIcon = 'overview' | 'accounts' | 'jobs' | 'audit' | 'people' | 'dormancy' | 'seats' | 'reconciliation' | 'connections' | 'rules' | 'roles' | 'groups' | 'conflicts' | 'me';

export const userNav: NavItem[] = [{ href: '/me', label: 'My access' }];
export const adminNav: NavItem[] = [...userNav, { href: '/admin/accounts', label: 'Accounts' }];

/** The admin console's sidebar (governance and connection pages join it with their issues). */
export const consoleNav: NavItem[] = [
  { href: '/admin', label: 'Overview', icon: 'overview', exact: true },
  { href: '/admin/accounts', label: 'Accounts', icon: 'accounts' },
  { href: '/admin/connections', label: 'Connections', icon: 'connections' },
  { href: '/admin/rules', label: 'Rules', icon: 'rules' },
  { href: '/admin/roles', label: 'Roles', icon: 'roles' },
  { href: '/admin/groups', label: 'Groups', icon: 'groups' },
  { href: '/admin/conflicts', label: 'Link conflicts', icon: 'conflicts' },
  { href: '/admin/dormancy', label: 'Dormancy', icon: 'dormancy' },
  { href: '/admin/seats', label: 'Seats', icon: 'seats' },
  { href: '/admin/reconciliation', label: 'Reconciliation', icon: 'reconciliation' },
  { href: '/admin/jobs', label: 'Jobs', icon: 'jobs' },
  { href: '/admin/audit', label: 'Audit log', icon: 'audit' },
  { href: '/admin/people', label: 'People', icon: 'people' },
];
