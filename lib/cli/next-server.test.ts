import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appServerArgs, SEMI_SPACE_MB } from './next-server';

describe('appServerArgs', () => {
  it('runs server.ts under tsx with a young generation of SEMI_SPACE_MB semi-spaces, unless NODE_OPTIONS chooses its own', () => {
    expect(appServerArgs('/srv/roster', '127.0.0.1', 3000, {})).toEqual([
      `--max-semi-space-size=${SEMI_SPACE_MB}`,
      '--import',
      'tsx',
      path.join('/srv/roster', 'server.ts'),
      '-H',
      '127.0.0.1',
      '-p',
      '3000',
    ]);
    expect(appServerArgs('/srv/roster', '0.0.0.0', 8080, { NODE_OPTIONS: '--import=/x.mjs --max-semi-space-size=16' })).toEqual(['--import', 'tsx', path.join('/srv/roster', 'server.ts'), '-H', '0.0.0.0', '-p', '8080']);
  });
});
