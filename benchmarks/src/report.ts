import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScalingResult } from './scaling-suite.js';
import type { SmaCrossResult } from './sma-cross-suite.js';
import type { Phase1Result } from './phase1-suite.js';
import type { ReplayResult } from './replay-suite.js';
import { formatHmmFit, type HmmFitResult } from './hmm-fit-suite.js';
import { formatSearch, type SearchResult } from './search-suite.js';
import { formatRegimeSearch, type RegimeSearchResult } from './regime-search-suite.js';
import { formatWorkflow, type WorkflowResult } from './workflow-suite.js';
import { formatDistributed, formatDistributedUniverse, type DistributedResult, type DistributedUniverseResult } from './distributed-suite.js';
import { formatWalkForwardBench, type WalkForwardBenchResult } from './walk-forward-suite.js';
import { formatUniverseBench, type UniverseBenchResult } from './universe-suite.js';
import { formatReport, type ReportResult } from './report-suite.js';
import { formatData, type DataResult } from './data-suite.js';
import { formatStrategyPlugin, type StrategyPluginResult } from './strategy-plugin-suite.js';
import { formatSignal, type SignalBenchResult } from './signal-suite.js';
import { formatSpeedup, type SpeedupBenchResult } from './speedup-suite.js';
import { formatPboBench, type PboBenchResult } from './pbo-suite.js';

export type BenchResult = SmaCrossResult | ScalingResult | Phase1Result | ReplayResult | HmmFitResult | SearchResult | RegimeSearchResult | WorkflowResult | WalkForwardBenchResult | UniverseBenchResult | ReportResult | DataResult | StrategyPluginResult | DistributedResult | DistributedUniverseResult | SignalBenchResult | SpeedupBenchResult | PboBenchResult;

const defaultOut = fileURLToPath(new URL('../out', import.meta.url));

function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const width = header.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((v, c) => v.padStart(width[c])).join('  ');
  return [line(header), width.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const sci = (x: number) => x.toExponential(3);

export function formatResult(r: BenchResult): string {
  if (r.suite === 'hmm-fit') return formatHmmFit(r);
  if (r.suite === 'genetic') return formatSearch(r);
  if (r.suite === 'search') return formatRegimeSearch(r);
  if (r.suite === 'workflow') return formatWorkflow(r);
  if (r.suite === 'distributed') return formatDistributed(r);
  if (r.suite === 'distributed-universe') return formatDistributedUniverse(r);
  if (r.suite === 'walk-forward') return formatWalkForwardBench(r);
  if (r.suite === 'universe') return formatUniverseBench(r);
  if (r.suite === 'pbo') return formatPboBench(r);
  if (r.suite === 'report') return formatReport(r);
  if (r.suite === 'data') return formatData(r);
  if (r.suite === 'strategy-plugin') return formatStrategyPlugin(r);
  if (r.suite === 'signal') return formatSignal(r);
  if (r.suite === 'speedup') return formatSpeedup(r);
  if (r.suite === 'phase1') {
    return [
      `phase1: ${r.bars} bars × ${r.trials} trials (momentum, mean_reversion; 2 classifiers), engine ${r.engine}, ${r.workers} workers, prices: ${r.prices}`,
      table(['what', 'seconds', 'vs kernel (pool)'], [
        ['end to end (signals + files)', r.end_to_end.seconds.toFixed(3), `${r.overhead.toFixed(3)}×`],
        ['kernel through the pool', r.kernel_pool.seconds.toFixed(3), '1.000×'],
        ['kernel, one thread', r.kernel_thread.seconds.toFixed(3), `${(r.kernel_thread.seconds / r.kernel_pool.seconds).toFixed(3)}×`],
      ]),
      `where the time went, as the workers measured it (seconds summed over batches): engine ${r.kernel_pool.worker.backtest.toFixed(2)} without signals, ` +
        `${r.end_to_end.worker.backtest.toFixed(2)} with them (capture +${(r.end_to_end.worker.backtest - r.kernel_pool.worker.backtest).toFixed(2)}), files ${r.end_to_end.worker.files.toFixed(2)}; ` +
        `process CPU ${r.end_to_end.cpu_seconds.toFixed(2)} s end to end vs ${r.kernel_pool.cpu_seconds.toFixed(2)} s kernel (${(r.end_to_end.cpu_seconds / r.kernel_pool.cpu_seconds).toFixed(3)}×)`,
      `files written: ${r.end_to_end.files} (${(r.end_to_end.bytes_written / 2 ** 20).toFixed(1)} MiB, signals ${(r.end_to_end.signal_bytes / 2 ** 20).toFixed(1)} MiB); ` +
        `${sci(r.bar_trials_per_s)} bar-trials/s end to end; ${r.checked_trials} trials checked against the reference`,
    ].join('\n');
  }
  if (r.suite === 'replay') {
    return [
      `replay: ${r.bars} bars, ${r.strategies} strategies × ${r.regimes} regimes, ${r.weight_sets} weight sets, engine ${r.engine}, prices: ${r.prices}`,
      table(['resources', 'replay s per set', 'full re-backtest s per set', 'full / replay'], [
        ['one thread each', sci(r.replay_thread.per_set_seconds), sci(r.full.per_set_seconds), `${r.speedup_thread.toFixed(1)}×`],
        [`the pool each (${r.workers} workers)`, sci(r.replay.per_set_seconds), sci(r.full_pool.per_set_seconds), `${r.speedup.toFixed(1)}×`],
      ]),
      `medians of ${r.replay.samples.length} rounds (a replay sample, then a full re-backtest sample, each repeated for at least 2 s); full / replay is the median of the rounds' ratios (one thread: ${r.ratios_thread.map((x) => x.toFixed(1)).join(', ')}; the pool: ${r.ratios.map((x) => x.toFixed(1)).join(', ')}); ${r.weight_sets} weight sets per replay call`,
      `${r.checked_sets} sets checked against the reference and the full backtest; the executor's rows equal the engine's`,
    ].join('\n');
  }
  if (r.suite === 'sma-cross') {
    return [
      `sma-cross: ${r.bars} bars × ${r.trials} trials, prices: ${r.prices}`,
      table(['engine', 'workers', 'seconds', 'bar-trials/s', 'vs reference'], [
        [r.engine, r.workers, r.seconds.toFixed(3), sci(r.bar_trials_per_s), `${r.speedup.toFixed(2)}×`],
        ['reference (ts)', 1, r.reference.seconds.toFixed(3), sci(r.reference.bar_trials_per_s), '1.00×'],
      ]),
      `checksums: total_return ${r.checksums.total_return}  sharpe ${r.checksums.sharpe}  ` +
        `max_drawdown ${r.checksums.max_drawdown}  trades ${r.checksums.trades}`,
    ].join('\n');
  }
  return [
    'scaling (wasm engine; each run checked against the reference on a sample of trials)',
    table(['bars', 'trials', 'workers', 'seconds', 'bar-trials/s', 'peak RSS MiB', 'shared MiB'], r.rows.map((x) => [
      x.bars, x.trials, x.workers, x.seconds.toFixed(3), sci(x.bar_trials_per_s),
      (x.peak_rss_bytes / 2 ** 20).toFixed(0), (x.shared_memory_bytes / 2 ** 20).toFixed(1),
    ])),
    table(['bars', 'trials', '2 workers / 1'], r.speedup_2_over_1.map((x) => [x.bars, x.trials, `${x.speedup.toFixed(2)}×`])),
  ].join('\n');
}

/** benchmarks/out/<suite>-<timestamp>.json, written atomically; returns the path. */
export function writeResult(r: BenchResult, dir = defaultOut): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${r.suite}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(r, null, 2) + '\n');
  renameSync(tmp, path);
  return path;
}
