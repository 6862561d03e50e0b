import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Tests import each package's TypeScript source through the `@regimen/source` export condition,
// so `npm test` needs no build of the TypeScript (the kernel's .wasm is built by `npm ci`).

/**
 * The library packages' and plugins' tests share one module graph (isolate: false): their ~90
 * files took 107 CPU-seconds importing it afresh for each, 43 sharing it (docs/testing.md).
 * Files that mock modules or stub the environment stay isolated (write-faults mocks node:fs: after
 * another file has loaded it, its mock never reaches the writer), as does every test of the CLI,
 * coordinator, report, live and Redis packages (workflows, processes, Chromium, spies on stdout).
 */
const ALL = ['packages/*/src/**/*.test.ts', 'plugins/*/src/**/*.test.ts', 'benchmarks/src/**/*.test.ts', 'tools/**/*.test.ts'];
const SHARED = ['packages/{core,data,kernel,optimizer,plugin-testkit,backtester}/src/**/*.test.ts', 'plugins/*/src/**/*.test.ts'];
const MOCKING = ['packages/core/src/write-faults.test.ts', 'packages/plugin-testkit/src/require-tool.test.ts'];

export default defineConfig({
  resolve: { conditions: ['@regimen/source'] },
  ssr: { resolve: { conditions: ['@regimen/source'] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // two files at a time on a 2-core machine (vitest's default there is one: cores − 1). Most files
    // run a workflow on one thread, so one at a time left a core idle: coordinator + live took 104 s
    // with one and 61 s with two, at the same CPU (docs/testing.md)
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // REGIMEN_TEST_CPU=/tmp/cpu.jsonl: each test file's CPU seconds as a JSON line (docs/testing.md)
    setupFiles: process.env.REGIMEN_TEST_CPU ? ['tools/test-cpu-setup.mjs'] : [],
    projects: [
      { extends: true, test: { name: 'shared', include: SHARED, exclude: MOCKING, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ALL, exclude: SHARED } },
      { extends: true, test: { name: 'mocking', include: MOCKING } },
    ],
  },
});
