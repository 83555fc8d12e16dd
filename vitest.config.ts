import { defineConfig } from 'vitest/config';

// Inside the repository every package resolves to its TypeScript source via the
// "source" export condition (see tsconfig.base.json), so tests need no build.
export default defineConfig({
  resolve: { conditions: ['source'] },
  // Tests run in Vite's SSR environment, which takes its own conditions: without this a runtime
  // import of a sibling package (@courier/api from apps/server) fails to resolve.
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'test/integration/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
