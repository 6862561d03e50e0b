import { regimenError } from '@regimen/core';
import { parseBenchArgs, type BenchOptions } from './options.js';
import { formatResult, writeResult, type BenchResult } from './report.js';
import { scalingSuite } from './scaling-suite.js';
import { smaCrossSuite } from './sma-cross-suite.js';
import { phase1Suite } from './phase1-suite.js';
import { replaySuite } from './replay-suite.js';
import { hmmFitSuite } from './hmm-fit-suite.js';
import { searchSuite } from './search-suite.js';
import { regimeSearchSuite } from './regime-search-suite.js';
import { workflowSuite } from './workflow-suite.js';
import { distributedSuite } from './distributed-suite.js';
import { walkForwardSuite } from './walk-forward-suite.js';
import { universeSuite } from './universe-suite.js';
import { reportSuite } from './report-suite.js';
import { dataSuite } from './data-suite.js';
import { strategyPluginSuite } from './strategy-plugin-suite.js';
import { signalSuite } from './signal-suite.js';
import { speedupSuite } from './speedup-suite.js';
import { pboSuite } from './pbo-suite.js';

export { parseBenchArgs, type BenchOptions, type EngineName } from './options.js';
export { formatResult, writeResult, type BenchResult } from './report.js';
export type { SmaCrossResult } from './sma-cross-suite.js';
export type { ScalingResult, ScalingRow } from './scaling-suite.js';
export type { Phase1Result } from './phase1-suite.js';
export type { ReplayResult } from './replay-suite.js';
export type { HmmFitResult } from './hmm-fit-suite.js';
export type { SearchResult } from './search-suite.js';
export type { RegimeSearchResult } from './regime-search-suite.js';
export type { WorkflowResult } from './workflow-suite.js';
export type { DistributedResult, DistributedUniverseResult } from './distributed-suite.js';
export type { WalkForwardBenchResult } from './walk-forward-suite.js';
export type { UniverseBenchResult } from './universe-suite.js';
export type { ReportResult } from './report-suite.js';
export type { DataResult } from './data-suite.js';
export type { StrategyPluginResult } from './strategy-plugin-suite.js';
export type { SignalBenchResult } from './signal-suite.js';
export type { SpeedupBenchResult } from './speedup-suite.js';
export type { PboBenchResult } from './pbo-suite.js';
export { checksums, type Checksums } from './checksums.js';

const suites: Record<string, (o: BenchOptions) => Promise<BenchResult>> = {
  'sma-cross': smaCrossSuite,
  scaling: scalingSuite,
  phase1: phase1Suite,
  replay: replaySuite,
  'hmm-fit': hmmFitSuite,
  genetic: searchSuite,
  search: regimeSearchSuite,
  workflow: workflowSuite,
  distributed: distributedSuite,
  'walk-forward': walkForwardSuite,
  universe: universeSuite,
  report: reportSuite,
  data: dataSuite,
  'strategy-plugin': strategyPluginSuite,
  signal: signalSuite,
  speedup: speedupSuite,
  pbo: pboSuite,
};

export const benchSuites: readonly string[] = Object.keys(suites);

/** Runs one suite (or "all") and returns its results; options as command-line words or an object. */
export async function runBench(suite: string, args: readonly string[] | Partial<BenchOptions> = []): Promise<BenchResult[]> {
  const options = Array.isArray(args) ? parseBenchArgs(args) : parseBenchArgs([], args as Partial<BenchOptions>);
  const names = suite === 'all' ? benchSuites : [suite];
  const results: BenchResult[] = [];
  for (const name of names) {
    const run = suites[name];
    if (!run) throw regimenError({ code: 'usage', field: 'suite', value: suite, message: `unknown benchmark suite (one of: ${benchSuites.join(', ')}, all)` });
    results.push(await run(options));
  }
  return results;
}

/**
 * `regimen bench <suite> [options]`: runs, writes JSON to benchmarks/out (or --out), and prints
 * a table — or, with --json, the result object itself on stdout (one line per suite).
 */
export async function runBenchCli(suite: string, args: readonly string[]): Promise<void> {
  const options = parseBenchArgs(args);
  for (const result of await runBench(suite, options)) {
    const path = writeResult(result, options.out);
    if (options.json) process.stdout.write(JSON.stringify(result) + '\n');
    else process.stdout.write(`${formatResult(result)}\nwritten: ${path}\n\n`);
  }
}
