import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'simulators/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: spawned-CLI suites and the PostgreSQL contract suite are heavy; keep the pool small.
    maxWorkers: 2,
  },
});
