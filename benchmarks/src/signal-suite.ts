import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWorkflow } from '@regimen/coordinator';
import { writeBarsArrow } from '@regimen/data';
import { randomWalk } from '@regimen/kernel';
import { loadLiveBars, openLive, readLiveState, replay, signal, stepDecisions, type StepMemory } from '@regimen/live';
import { decodeStepState } from '@regimen/core';
import type { BenchOptions } from './options.js';
import { median, now } from './workload.js';

export interface SignalBenchRow {
  /** the live data file: Arrow (rewritten whole per call, read whole) or CSV (appended to, its new lines parsed) */
  format: 'arrow' | 'csv';
  /** bars of the run's history (one-minute bars) */
  bars: number;
  /** seconds to run the workflow that made the workspace (not part of a call) */
  workspace_seconds: number;
  /** median wall ms of `regimen signal` as a new process for one new bar, with state: process start, imports, data load, checks, decision, journal, state */
  end_to_end_ms: number;
  end_to_end_runs: number[];
  /** the same call in-process, median ms per stage: open the workspace, read the file, hash its history (verify), check journal and gaps, decide, write the state */
  stages_ms: { open: number; load: number; verify: number; check: number; decide: number; state: number };
  /** one decision stepped from the saved memory (memory decoded, every hook over one bar, the Decision built), median µs of STEP_RUNS, in-process: the algorithmic work alone */
  step_us: number;
  /** stages beyond reading and hashing the file: open + check + decide + state */
  beyond_load_ms: number;
  /** how the timed calls decided: stepped from the saved state (bars stepped per call), or recomputed */
  work: string;
}

export interface SignalBenchResult {
  suite: 'signal';
  load_average: number[];
  rows: SignalBenchRow[];
  /** end to end of a bare `regimen --version` (process start and imports alone), median ms */
  process_start_ms: number;
  /** beyond_load_ms of the largest history over that of the smallest, per format */
  growth: Record<'arrow' | 'csv', number>;
  /** step_us of the largest history over that of the smallest, per format */
  step_growth: Record<'arrow' | 'csv', number>;
  replay: { workspace: string; bars: number; seconds: number; identical: boolean } | null;
  budget: { end_to_end_ms: number; growth: number; replay_seconds: number; met: { end_to_end: boolean; growth: boolean; replay: boolean | null } };
}

const BIN = fileURLToPath(new URL('../../packages/cli/bin/regimen.js', import.meta.url));
const SEED_WORKFLOW = fileURLToPath(new URL('../../examples/seed-workflow.yaml', import.meta.url));
const STEP_RUNS = 50;
const BUDGET = { end_to_end_ms: 1000, growth: 1.5, replay_seconds: 5 };
const MINUTE = 60_000;

/** One-minute bars of a seeded random walk from 2020-01-01, every minute (a 24-hour market). */
function minuteBars(n: number, seed: number) {
  const close = randomWalk(n, seed);
  const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * MINUTE);
  return { time, open: close, high: close, low: close, close };
}
// a column per array: apache-arrow's writer keeps one body for columns sharing a buffer while the
// header still declares each, which makes an unreadable file
const cut = (b: ReturnType<typeof minuteBars>, end: number) => {
  const close = () => b.close.slice(0, end);
  return { time: b.time.slice(0, end), open: close(), high: close(), low: close(), close: close() };
};

/** A cheap but complete run: one strategy (two trials), the HMM, a grid ensemble, the test split. */
const workflow = (data: string) => `workflow:
  id: signal_bench
  seed: 1
  data: { path: ${JSON.stringify(data)}, split: { train_fraction: 0.9 } }
  strategies: { trend: { type: momentum, side: long_short } }
  classifiers: { hmm: { options: { states: 2, restarts: 1, max_iter: 20 } } }
  phases:
    - name: parameter_discovery
      config: { parameter_space: { lookback: [60, 240], threshold: [0.001] } }
    - name: regime_analysis
      config: { metrics: [sharpe], min_bars: 10 }
    - name: ensemble_optimization
      config: { algorithm: grid }
    - name: validation
      config: { data_split: test, verify_transitions: false }
`;

/**
 * `regimen bench signal [--bars-list 10000,1000000] [--repeat N] [--workspace DIR]`: for each
 * history length, a workspace made from that many one-minute bars; then N calls of
 * `regimen signal` that each see one new bar (state kept between them), timed as a new process
 * and in-process by stage. Then `--replay` of the seed workflow's validation split (or of
 * --workspace).
 */
export async function signalSuite(o: BenchOptions): Promise<SignalBenchResult> {
  const sizes = o.barsList ?? [10_000, 100_000, 1_000_000];
  const repeat = Math.max(1, o.repeat);
  const root = mkdtempSync(join(tmpdir(), 'regimen-bench-signal-'));
  const rows: SignalBenchRow[] = [];
  try {
    for (const n of sizes) {
      const dir = join(root, String(n));
      mkdirSync(dir);
      const all = minuteBars(n + 2 * repeat + 2, o.seed);
      const history = join(dir, 'history.arrow');
      writeBarsArrow(history, cut(all, n));
      writeFileSync(join(dir, 'workflow.yaml'), workflow(history));
      const ws = join(dir, 'ws');
      const t0 = now();
      await runWorkflow(join(dir, 'workflow.yaml'), { outDir: ws, workers: o.workers });
      const workspaceSeconds = now() - t0;
      const arrowFile = (extra: number) => {
        const f = join(dir, `plus${extra}.arrow`);
        writeBarsArrow(f, cut(all, n + extra));
        return f;
      };
      // the CSV a live user appends to: written once, then one line appended per new bar (a call
      // parses only the lines after the state's prefix, once every byte of the prefix hashes as before)
      const csv = join(dir, 'live.csv');
      const line = (i: number) => `${new Date(all.time[i]!).toISOString()},${all.close[i]},${all.close[i]},${all.close[i]},${all.close[i]}\n`;
      writeFileSync(csv, 'time,open,high,low,close\n' + Array.from({ length: n + 1 }, (_, i) => line(i)).join(''));
      const csvFile = (extra: number) => {
        appendFileSync(csv, line(n + extra - 1));
        return csv;
      };
      for (const [format, file] of [['arrow', arrowFile], ['csv', csvFile]] as const) {
        const state = join(dir, `live-${format}`);
        // the first call journals the first new bar and makes the state (its step memory from bar 0)
        await signal(ws, format === 'csv' ? csv : file(1), { stateDir: state });
        const wall: number[] = [];
        const stages: SignalBenchRow['stages_ms'][] = [];
        const works = new Set<string>();
        for (let r = 0; r < repeat; r++) {
          const f = file(2 + 2 * r);
          const s0 = now();
          execFileSync(process.execPath, [BIN, 'signal', ws, '--data', f, '--state', state, '--json'], { stdio: 'ignore' });
          wall.push((now() - s0) * 1000);
          const res = await signal(ws, file(3 + 2 * r), { stateDir: state });
          if (res.appended.length !== 1) throw new Error(`expected one new bar, journaled ${res.appended.length}`);
          stages.push(Object.fromEntries(Object.entries(res.seconds).map(([k, v]) => [k, v * 1000])) as SignalBenchRow['stages_ms']);
          works.add(`${res.read === 'tail' ? 'new lines parsed' : 'file read whole'}, ${res.work.stepped ? `stepped ${res.work.bars} bar${res.work.bars === 1 ? '' : 's'}${res.work.rebuilt ? ' (memory rebuilt from bar 0)' : ''}` : `recomputed: ${res.work.reason}`}`);
        }
        const med = Object.fromEntries(Object.keys(stages[0]!).map((k) => [k, median(stages.map((s) => s[k as keyof typeof s]))])) as SignalBenchRow['stages_ms'];
        // the step alone, without file, journal or fsync: one more bar decided from the saved memory, STEP_RUNS times
        const saved = readLiveState(state)!;
        const run = await openLive(ws);
        const last = saved.last.bar;
        const more = await loadLiveBars(run, format === 'csv' ? csvFile(last + 2 - n) : arrowFile(last + 2 - n));
        const steps: number[] = [];
        for (let k = 0; k < STEP_RUNS; k++) {
          const s0 = now();
          stepDecisions(run, decodeStepState(saved.step) as StepMemory, more, last + 1, last + 2, { decide: true });
          steps.push((now() - s0) * 1e6);
        }
        rows.push({ step_us: median(steps), bars: n, format, workspace_seconds: workspaceSeconds, end_to_end_ms: median(wall), end_to_end_runs: wall, stages_ms: med, beyond_load_ms: med.open + med.check + med.decide + med.state, work: [...works].join('; ') });
      }
    }
    let replayResult: SignalBenchResult['replay'] = null;
    let replayDir = o.workspace;
    if (!replayDir) {
      replayDir = join(root, 'demo');
      await runWorkflow(SEED_WORKFLOW, { outDir: replayDir, workers: o.workers });
    }
    const rp = await replay(replayDir);
    replayResult = { workspace: o.workspace ?? 'examples/seed-workflow.yaml', bars: rp.bars, seconds: rp.seconds, identical: rp.mismatch === null };
    const growthOf = (f: 'arrow' | 'csv') => {
      const of = rows.filter((x) => x.format === f);
      return of[of.length - 1]!.beyond_load_ms / of[0]!.beyond_load_ms;
    };
    const growth = { arrow: growthOf('arrow'), csv: growthOf('csv') };
    const stepGrowthOf = (f: 'arrow' | 'csv') => {
      const of = rows.filter((x) => x.format === f);
      return of[of.length - 1]!.step_us / of[0]!.step_us;
    };
    const stepGrowth = { arrow: stepGrowthOf('arrow'), csv: stepGrowthOf('csv') };
    const starts: number[] = [];
    for (let r = 0; r < repeat; r++) {
      const s0 = now();
      execFileSync(process.execPath, [BIN, '--version'], { stdio: 'ignore' });
      starts.push((now() - s0) * 1000);
    }
    const worst = Math.max(...rows.map((r) => r.end_to_end_ms));
    return {
      suite: 'signal',
      load_average: loadavg(),
      rows,
      process_start_ms: median(starts),
      growth,
      step_growth: stepGrowth,
      replay: replayResult,
      budget: { ...BUDGET, met: { end_to_end: worst <= BUDGET.end_to_end_ms, growth: Math.max(growth.arrow, growth.csv) <= BUDGET.growth, replay: replayResult ? replayResult.seconds <= BUDGET.replay_seconds : null } },
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function formatSignal(r: SignalBenchResult): string {
  const head = ['history bars', 'file', 'end to end ms', 'open', 'load', 'verify', 'check', 'decide', 'state', 'beyond load ms', 'step µs'];
  const rows = r.rows.map((x) => [x.bars, x.format, x.end_to_end_ms.toFixed(0), x.stages_ms.open.toFixed(1), x.stages_ms.load.toFixed(1), x.stages_ms.verify.toFixed(1), x.stages_ms.check.toFixed(1), x.stages_ms.decide.toFixed(1), x.stages_ms.state.toFixed(1), x.beyond_load_ms.toFixed(1), x.step_us.toFixed(0)]);
  const width = head.map((h, c) => Math.max(h.length, ...rows.map((row) => String(row[c]).length)));
  const line = (cells: Array<string | number>) => cells.map((v, c) => String(v).padStart(width[c]!)).join('  ');
  const yes = (b: boolean | null) => (b === null ? 'not run' : b ? 'met' : 'NOT met');
  return [
    `regimen signal: one new bar on a one-minute history, with state (load average ${r.load_average.map((x) => x.toFixed(2)).join(' ')})`,
    line(head),
    width.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    ...r.rows.map((x) => `${x.bars} bars, ${x.format}: ${x.work}`),
    `process start alone (regimen --version): ${r.process_start_ms.toFixed(0)} ms`,
    `one stepped decision alone (median of ${STEP_RUNS}): grows ${r.step_growth.arrow.toFixed(2)}× (Arrow) / ${r.step_growth.csv.toFixed(2)}× (CSV) from ${r.rows[0]!.bars} to ${r.rows[r.rows.length - 1]!.bars} bars`,
    `end to end ≤ ${r.budget.end_to_end_ms} ms: ${yes(r.budget.met.end_to_end)}; work beyond loading grows ${r.growth.arrow.toFixed(2)}× (Arrow) / ${r.growth.csv.toFixed(2)}× (CSV) from ${r.rows[0]!.bars} to ${r.rows[r.rows.length - 1]!.bars} bars (≤ ${r.budget.growth}×: ${yes(r.budget.met.growth)})`,
    r.replay ? `--replay of ${r.replay.workspace}: ${r.replay.bars} validation bars in ${r.replay.seconds.toFixed(2)} s, ${r.replay.identical ? 'identical to validation' : 'DIFFERS from validation'} (≤ ${r.budget.replay_seconds} s: ${yes(r.budget.met.replay)})` : '',
  ].join('\n');
}
