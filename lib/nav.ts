/** Navigation is data: the shells render whichever list the signed-in person may see. */
/** `section`: the sidebar's heading the item sits under (items of a section are listed together). */
export type NavItem = { href: string; label: string; icon?: NavIcon; exact?: boolean; section?: string };
export type NavIcon = 'overview' | 'accounts' | 'jobs' | 'audit' | 'people' | 'dormancy' | 'seats' | 'reconciliation' | 'connections' | 'rules' | 'roles' | 'groups' | 'conflicts' | 'scim' | 'settings' | 'me';

export const userNav: NavItem[] = [{ href: '/me', label: 'My access' }];
export const adminNav: NavItem[] = [...userNav, { href: '/admin/accounts', label: 'Accounts' }];

/** The admin console's sidebar, in sections: who and how people get in, what governance does, who did what. */
export const consoleNav: NavItem[] = [
  { href: '/admin', label: 'Overview', icon: 'overview', exact: true },
  { href: '/admin/accounts', label: 'Accounts', icon: 'accounts', section: 'Identity' },
  { href: '/admin/connections', label: 'Connections', icon: 'connections', section: 'Identity' },
  { href: '/admin/groups', label: 'Groups', icon: 'groups', section: 'Identity' },
  { href: '/admin/conflicts', label: 'Link conflicts', icon: 'conflicts', section: 'Identity' },
  { href: '/admin/scim', label: 'SCIM', icon: 'scim', section: 'Identity' },
  { href: '/admin/roles', label: 'Roles', icon: 'roles', section: 'Access' },
  { href: '/admin/rules', label: 'Rules', icon: 'rules', section: 'Access' },
  { href: '/admin/dormancy', label: 'Dormancy', icon: 'dormancy', section: 'Governance' },
  { href: '/admin/seats', label: 'Seats', icon: 'seats', section: 'Governance' },
  { href: '/admin/reconciliation', label: 'Reconciliation', icon: 'reconciliation', section: 'Governance' },
  { href: '/admin/jobs', label: 'Jobs', icon: 'jobs', section: 'Governance' },
  { href: '/admin/settings', label: 'Settings', icon: 'settings', section: 'Governance' },
  { href: '/admin/audit', label: 'Audit log', icon: 'audit', section: 'Audit' },
  { href: '/admin/people', label: 'People', icon: 'people', section: 'Audit' },
];
