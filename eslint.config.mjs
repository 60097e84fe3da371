import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import drizzle from 'eslint-plugin-drizzle';

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
    // Domain logic never imports Next.js (DESIGN.md): only app/** and lib/auth/** may.
    files: ['lib/**/*.ts'],
    ignores: ['lib/auth/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['next', 'next/*', 'next-auth', 'next-auth/*'], message: 'lib/ stays free of Next.js; put it in app/ or lib/auth/.' }] }],
    },
  },
];

export default config;
