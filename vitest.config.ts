import { defineConfig } from 'vitest/config';

// Tests import each package's TypeScript source through the `@regimen/source` export condition,
// so `npm test` needs no build of the TypeScript (the kernel's .wasm is built by `npm ci`).
export default defineConfig({
  resolve: { conditions: ['@regimen/source'] },
  ssr: { resolve: { conditions: ['@regimen/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'plugins/*/src/**/*.test.ts', 'benchmarks/src/**/*.test.ts', 'tools/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // REGIMEN_TEST_CPU=/tmp/cpu.jsonl: each test file's CPU seconds as a JSON line (docs/testing.md)
    setupFiles: process.env.REGIMEN_TEST_CPU ? ['tools/test-cpu-setup.mjs'] : [],
  },
});
