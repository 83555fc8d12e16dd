import { defineConfig } from 'vitest/config';

// Browser tests: real Portal (in-process, 127.0.0.1:0, temp SQLite) serving the built web app,
// driven by Debian's Chromium through playwright-core. Run with `npm run test:e2e` (builds first).
// One file at a time: a Chromium per file is the heaviest thing on a 2-core machine.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
