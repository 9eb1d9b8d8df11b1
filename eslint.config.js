// Lint, including the layer rules of docs/design.md: imports point inward.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const io = [
  'node:fs',
  'node:fs/promises',
  'node:http',
  'node:https',
  'node:net',
  'node:child_process',
  'fs',
  'http',
];
const vendors = [
  'pg',
  'better-sqlite3',
  'kysely',
  'jsforce',
  'fastify',
  'undici',
  'pino',
  'commander',
  'cli-progress',
  'prom-client',
  'fast-xml-parser',
  '@grpc/grpc-js',
  '@grpc/proto-loader',
  'avsc',
  'selfsigned',
  'cron-parser',
];
const restrict = (patterns, paths = []) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({ name, message: 'This layer must not do I/O or use vendor libraries.' })),
      patterns: patterns.map((group) => ({
        group: [group],
        message: 'Imports point inward (docs/design.md).',
      })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: restrict(
      [
        '**/rules/**',
        '**/planner/**',
        '**/executor/**',
        '**/app/**',
        '**/adapters/**',
        '**/server/**',
        '**/cli/**',
        '**/config/**',
        '**/ports/**',
      ],
      [...io, ...vendors],
    ),
  },
  {
    files: ['src/rules/**/*.ts'],
    rules: restrict(
      [
        '**/planner/**',
        '**/executor/**',
        '**/app/**',
        '**/adapters/**',
        '**/server/**',
        '**/cli/**',
        '**/config/**',
      ],
      [...io, ...vendors],
    ),
  },
  {
    files: ['src/planner/**/*.ts'],
    rules: restrict(
      ['**/executor/**', '**/app/**', '**/adapters/**', '**/server/**', '**/cli/**', '**/config/**'],
      [...io, ...vendors],
    ),
  },
  {
    files: ['src/executor/**/*.ts', 'src/app/**/*.ts', 'src/ports/**/*.ts'],
    rules: restrict(['**/adapters/**', '**/feeds/**', '**/server/**', '**/cli/**', '**/compose/**'], vendors),
  },
  {
    // Vendor code: it implements ports and only the composition root builds it.
    files: ['src/adapters/**/*.ts'],
    rules: restrict(['**/app/**', '**/feeds/**', '**/server/**', '**/cli/**', '**/compose/**']),
  },
  {
    files: ['src/feeds/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: restrict(['**/app/**', '**/adapters/**', '**/server/**', '**/cli/**', '**/compose/**']),
  },
  {
    // One composition root: the CLI and the HTTP shell receive use cases, never an adapter or a store.
    files: ['src/cli/**/*.ts', 'src/server/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: restrict(['**/adapters/**', '**/feeds/**', '**/ports/store.ts']),
  },
  {
    files: ['simulators/**/*.ts'],
    rules: restrict(['**/src/**']),
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/main.ts', 'src/**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
);
