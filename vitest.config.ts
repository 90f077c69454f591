import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the `@pulse/source` export
// condition), so tests never run against a stale build.
const conditions = ['@pulse/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/*/{src,test}/**/*.test.ts', 'apps/*/{src,test}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores: parallel files beyond that only add contention with the databases.
    maxWorkers: 2,
    pool: 'forks',
  },
});
