/**
 * Suggestions for mapping an HR export: the column headers Workday, BambooHR, Rippling, Personio
 * and similar tools export, and the status words they use. Only suggestions: the admin confirms
 * them in the dashboard's preview. Headers compare case-, space- and punctuation-insensitively.
 */
import type { ColumnMap, MappableField, StatusMap } from '@/lib/sources/types';

/** Per field, the export headers that mean it, most specific first (the first present wins). */
const headerAliases: Record<MappableField, string[]> = {
  employeeNumber: ['Employee ID', 'Employee #', 'Employee Number', 'Employee No', 'Employee Num', 'Worker ID', 'Personnel Number', 'Staff ID', 'ID'],
  externalId: ['External ID', 'Directory ID', 'Okta ID', 'Azure AD Object ID', 'Object ID'],
  email: ['Email - Work', 'Work Email', 'Work Email Address', 'Business Email', 'Company Email', 'Email', 'Email Address', 'E-Mail', 'Primary Work Email'],
  status: ['Worker Status', 'Employment Status', 'Employee Status', 'Status', 'Active Status', 'Active'],
  startDate: ['Hire Date', 'Original Hire Date', 'Start Date', 'Date of Hire', 'Employment Start Date', 'Joining Date', 'Entry Date'],
  endDate: ['Termination Date', 'End Date', 'Employment End Date', 'Last Day of Work', 'Last Working Day', 'Exit Date', 'Leaving Date'],
  userName: ['Username', 'User Name', 'Login', 'Network ID'],
  displayName: ['Worker', 'Preferred Name', 'Display Name', 'Full Name', 'Employee Name', 'Name'],
  givenName: ['First Name', 'Legal First Name', 'Preferred First Name', 'Given Name', 'Forename'],
  familyName: ['Last Name', 'Legal Last Name', 'Preferred Last Name', 'Family Name', 'Surname'],
  department: ['Supervisory Organization', 'Department', 'Dept', 'Team', 'Organization'],
  title: ['Business Title', 'Job Title', 'Title', 'Position', 'Job Profile', 'Role'],
  manager: ['Manager', 'Supervisor', 'Reports To', 'Manager Name', 'Manager Email', 'Line Manager', 'Direct Manager'],
};

const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9#]+/g, '');

/** A column map for the headers it recognizes (each field from one column, each column to one field). */
export function suggestColumns(headers: string[]): ColumnMap {
  const byKey = new Map<string, string>();
  for (const header of headers) if (!byKey.has(squash(header))) byKey.set(squash(header), header);
  const columns: ColumnMap = {};
  const taken = new Set<string>();
  for (const [field, aliases] of Object.entries(headerAliases) as [MappableField, string[]][]) {
    const header = aliases.map((alias) => byKey.get(squash(alias))).find((h) => h !== undefined && !taken.has(h));
    if (header === undefined) continue;
    columns[header] = field;
    taken.add(header);
  }
  return columns;
}

/** Status words, checked in order: inactive words first ("Inactive" contains "active"). */
const statusWords: [RegExp, 'active' | 'inactive'][] = [
  [/\b(inactive|terminat\w*|former|separated|departed|exited|left|retired|deceased|dismissed|resigned|withdrawn|disabled|ended|offboard\w*)\b/, 'inactive'],
  // Leave is a choice each organization makes; the suggestion keeps people on leave active (nothing suspended by default).
  [/\b(active|employed|current|hired|leave|onboarding|pre-?hire|probation|notice)\b/, 'active'],
  // An "Active" column of yes/no.
  [/^(yes|y|true|1)$/, 'active'],
  [/^(no|n|false|0)$/, 'inactive'],
];

/** Suggested active/inactive for the status values seen; values it cannot place are left out. */
export function suggestStatuses(values: string[]): StatusMap {
  const statuses: StatusMap = {};
  for (const value of values) {
    const words = value.trim().toLowerCase();
    const match = statusWords.find(([pattern]) => pattern.test(words));
    if (match) statuses[value] = match[1];
  }
  return statuses;
}
