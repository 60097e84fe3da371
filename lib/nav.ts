/** Navigation is data: the shell renders whichever list the signed-in person may see. */
export type NavItem = { href: string; label: string };

export const userNav: NavItem[] = [{ href: '/me', label: 'My access' }];
export const adminNav: NavItem[] = [...userNav, { href: '/admin/accounts', label: 'Accounts' }];
