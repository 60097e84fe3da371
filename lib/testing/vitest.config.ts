import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.resolve(import.meta.dirname, '../..');

export default defineConfig({
  root,
  resolve: { alias: { '@': root } },
  test: {
    include: ['lib/**/*.test.ts', 'db/**/*.test.ts', 'app/**/*.test.ts'],
    globalSetup: [path.join(root, 'lib/testing/global-setup.ts')],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
