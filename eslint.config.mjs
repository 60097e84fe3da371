import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import drizzle from 'eslint-plugin-drizzle';

/**
 * lib/lifecycle is the only writer of accounts, identities, role assignments, group memberships,
 * sessions and their audit events: their write queries may be imported only there (and in db/).
 */
const lifecycleWrites = [
  { name: '@/db/queries/accounts', importNames: ['insertAccount', 'updateAccount', 'setGroupsOwner', 'recordAccountLogin', 'updateAccountsStatus'] },
  { name: '@/db/queries/role-assignments', importNames: ['upsertAssignments', 'deleteAssignments', 'deleteExpiredAssignments'] },
  { name: '@/db/queries/external-identities', importNames: ['insertExternalIdentity', 'touchExternalIdentity'] },
  { name: '@/db/queries/sessions', importNames: ['insertSession', 'revokeSession', 'revokeAccountSessions', 'deleteEndedSessions', 'revokeSessionsOfAccounts', 'touchSessionUse', 'revokeConnectionSessions'] },
  { name: '@/db/queries/groups', importNames: ['insertGroup', 'updateGroup', 'deleteGroup', 'insertGroupMembers', 'deleteGroupMembers', 'deleteAccountMemberships'] },
  { name: '@/db/queries/account-purge', importNames: ['purgeAccountsDue'] },
  { name: '@/db/queries/account-links', importNames: ['upsertLinkConflict', 'settleLinkConflict'] },
  { name: '@/db/queries/audit-events', importNames: ['insertAuditEvents', 'sendAuditEvents'] },
  // Deleting a connection deletes its sign-in identities (lib/lifecycle/connection/delete-connection.ts).
  { name: '@/db/queries/connections', importNames: ['deleteConnection'] },
  { name: '@/db/queries/dormancy', importNames: ['markDormancyWarned', 'clearVoidDormancyWarnings', 'setDormancyExempt'] },
  // A rule change is applied to every account it concerns in the same unit of work (lib/lifecycle/rules/apply-rule-change.ts).
  { name: '@/db/queries/attribute-rules', importNames: ['insertAttributeRuleWithId', 'updateAttributeRule', 'deleteAttributeRule'] },
].map((path) => ({ ...path, message: 'Accounts and access change only through lib/lifecycle commands (lib/lifecycle/context.ts: inTransaction).' }));
const nextPatterns = [{ group: ['next', 'next/*', 'next-auth', 'next-auth/*'], message: 'lib/ stays free of Next.js; put it in app/ or lib/auth/.' }];

const config = [
  { ignores: ['.next/**', 'node_modules/**', '.roster/**', 'db/migrations/**', 'next-env.d.ts'] },
  ...nextVitals,
  ...nextTs,
  {
    plugins: { drizzle },
    rules: {
      // Every UPDATE and DELETE is scoped by key (STYLE.md §2.4); query functions name their handle db or tx.
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db', 'tx', 'sp'] }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db', 'tx', 'sp'] }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Playwright fixtures call their `use` callback, which is not React's hook.
    files: ['e2e/**/*.ts'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  {
    // The one writer (lib/lifecycle) and the data layer may use the write queries; tests set up their fixtures.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['lib/lifecycle/**', 'db/**', '**/*.test.ts', 'lib/testing/**', 'lib/audit/record-event.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: lifecycleWrites }] },
  },
  {
    // Domain logic never imports Next.js (DESIGN.md): only app/** and lib/auth/** may.
    files: ['lib/**/*.ts'],
    ignores: ['lib/auth/**', 'lib/lifecycle/**', '**/*.test.ts', 'lib/testing/**', 'lib/audit/record-event.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: lifecycleWrites, patterns: nextPatterns }] },
  },
  {
    // lib/testing may build next-auth session cookies for page and action tests; the rest stays Next-free.
    files: ['lib/lifecycle/**/*.ts', 'lib/**/*.test.ts', 'lib/audit/record-event.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: nextPatterns }] },
  },
];

export default config;
