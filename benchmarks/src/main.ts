// Runs a suite without the CLI: `npx tsx --conditions=@regimen/source benchmarks/src/main.ts sma-cross --bars 1000000 --workers 2 --json`
import { formatError } from '@regimen/core';
import { runBenchCli } from './index.js';

const [suite = 'all', ...args] = process.argv.slice(2);
runBenchCli(suite, args).catch((e: unknown) => {
  process.stderr.write(formatError(e) + '\n');
  process.exitCode = 2;
});
