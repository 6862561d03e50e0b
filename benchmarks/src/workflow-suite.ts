import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { createRng, ManifestSchema, readJsonFile, regimenError, ValidationResultsSchema, WalkForwardResultsSchema, workspacePaths } from '@regimen/core';
import type { BenchOptions } from './options.js';
import { median } from './workload.js';

export interface WorkflowPhase {
  phase: string;
  seconds: number;
  /** wall seconds per stage; `*_cpu` stages are summed over the workers */
  stages: Record<string, number>;
}

export interface WorkflowResult {
  suite: 'workflow';
  config: string;
  prices: string;
  bars: number;
  workers: number;
  /** end to end, as the child process saw it (median of --repeat runs) */
  seconds: number;
  runs: number[];
  /** reading and fingerprinting the data, before phase 1 (of the median run) */
  load_seconds: number;
  phases: WorkflowPhase[];
  peak_rss_bytes: number;
  /** the run's own proofs, read from its validation_results.json */
  checks: { look_ahead: boolean | null; transitions_verified: boolean | null };
}

export const repo = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const childFile = () => repo('benchmarks/dist/workflow-child.js');

/**
 * One-minute bars whose log returns switch between three persistent regimes of minute-scale drift
 * and volatility (seeded): a series of the size and texture users bring, with regimes for the
 * classifiers to find and moves the seed's thresholds can trade.
 */
export function minuteBarsCsv(n: number, seed: number): string {
  const rng = createRng(seed).fork('workflow-bench');
  const mean = [0.00001, 0, -0.00002];
  const sd = [0.0003, 0.0006, 0.0012];
  const stay = [0.9995, 0.999, 0.998];
  const lines = ['timestamp,close'];
  const t0 = Date.UTC(2020, 0, 1);
  let s = 0;
  let logp = Math.log(100);
  for (let t = 0; t < n; t++) {
    if (t > 0) {
      if (rng.next() > stay[s]!) s = (s + 1 + rng.int(0, 1)) % 3;
      logp += mean[s]! + sd[s]! * rng.normal();
    }
    lines.push(`${new Date(t0 + t * 60_000).toISOString().slice(0, 19)}Z,${Math.exp(logp).toPrecision(12)}`);
  }
  return lines.join('\n') + '\n';
}

/** A workflow's text, with its data and workspace pointed at the benchmark's and any other settings changed. */
export function benchWorkflow(text: string, dataPath: string, outDir: string, edit?: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(text);
  doc.setIn(['workflow', 'output_dir'], outDir);
  doc.setIn(['workflow', 'data', 'path'], dataPath);
  edit?.(doc);
  return doc.toString();
}

interface ChildRun {
  seconds: number;
  load_seconds: number;
  phases: Array<WorkflowPhase & { fold?: number }>;
  workspace: string;
  peak_rss_bytes: number;
}

/** Runs `regimen run` of a workflow file in a child process `repeat` times; the run of median time. `seriesInFlight`: a universe's series at a time; `executor`: a redis:// URL. */
export function runWorkflowChild(workflowFile: string, workers: number, repeat: number, seriesInFlight?: number, executor?: string): { median: ChildRun; runs: number[]; peak_rss_bytes: number } {
  const runs: ChildRun[] = [];
  for (let r = 0; r < repeat; r++) {
    const child = spawnSync(process.execPath, [childFile(), workflowFile, String(workers), String(seriesInFlight ?? 0), ...(executor ? [executor] : [])], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (child.status !== 0) {
      throw regimenError({ code: 'internal', field: 'workflow', message: `the benchmark run failed: ${(child.stderr || child.error?.message || '').trim().split('\n')[0]}` });
    }
    runs.push(JSON.parse(child.stdout.trim().split('\n').pop()!));
  }
  const seconds = median(runs.map((x) => x.seconds));
  return { median: runs.find((x) => x.seconds === seconds)!, runs: runs.map((x) => x.seconds), peak_rss_bytes: Math.max(...runs.map((x) => x.peak_rss_bytes)) };
}

/** Per phase, its seconds and stages summed over the folds it ran for (a walk-forward runs phases 2–4 once per fold). */
export function phaseTotals(phases: Array<WorkflowPhase & { fold?: number }>): WorkflowPhase[] {
  const out = new Map<string, WorkflowPhase>();
  for (const p of phases) {
    const t = out.get(p.phase) ?? { phase: p.phase, seconds: 0, stages: {} };
    t.seconds += p.seconds;
    for (const [k, v] of Object.entries(p.stages)) t.stages[k] = (t.stages[k] ?? 0) + v;
    out.set(p.phase, t);
  }
  return [...out.values()];
}

/** The run's own proofs: of its validation, or of every fold of a walk-forward. */
export function runChecks(workspace: string): WorkflowResult['checks'] {
  const ws = workspacePaths(workspace);
  if (existsSync(ws.walkForwardResults)) {
    const folds = readJsonFile(ws.walkForwardResults, WalkForwardResultsSchema).folds;
    const all = (k: 'look_ahead' | 'transitions_verified') => (folds.some((f) => f.proofs[k] === null) ? null : folds.every((f) => f.proofs[k]));
    return { look_ahead: all('look_ahead'), transitions_verified: all('transitions_verified') };
  }
  const v = readJsonFile(ws.validationResults, ValidationResultsSchema);
  return { look_ahead: v.checks.look_ahead?.passed ?? null, transitions_verified: v.checks.transitions_verified };
}

/** The benchmark's data: `--prices FILE`, or `--bars` generated one-minute bars written as a CSV in `dir`. */
export function benchData(o: Pick<BenchOptions, 'prices' | 'bars' | 'seed'>, dir: string): string {
  if (o.prices) return resolve(o.prices);
  const path = join(dir, 'minute-bars.csv');
  writeFileSync(path, minuteBarsCsv(o.bars, o.seed));
  return path;
}

/**
 * The run a user makes, end to end: `--config` (default the seed workflow,
 * examples/seed-workflow.yaml) on `--prices FILE` or on `--bars` generated one-minute bars written
 * as a CSV, in a child process (the built CLI's code path, as `regimen run` takes it), with
 * seconds per phase and per stage from the run's own events, and the child's peak RSS.
 */
export async function workflowSuite(o: BenchOptions): Promise<WorkflowResult> {
  const configFile = resolve(o.config ?? repo('examples/seed-workflow.yaml'));
  const dir = mkdtempSync(join(tmpdir(), 'regimen-workflow-'));
  try {
    const wf = join(dir, 'workflow.yaml');
    writeFileSync(wf, benchWorkflow(readFileSync(configFile, 'utf8'), benchData(o, dir), join(dir, 'workspace')));
    const { median: mid, runs, peak_rss_bytes } = runWorkflowChild(wf, o.workers, o.repeat);
    return {
      suite: 'workflow',
      config: o.config ?? 'examples/seed-workflow.yaml',
      prices: o.prices ?? `generated one-minute bars, seed ${o.seed}`,
      bars: readJsonFile(workspacePaths(mid.workspace).manifest, ManifestSchema).data_fingerprint.bars,
      workers: o.workers,
      seconds: mid.seconds,
      runs,
      load_seconds: mid.load_seconds,
      phases: phaseTotals(mid.phases),
      peak_rss_bytes,
      checks: runChecks(mid.workspace),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const STAGE_NOTES: Record<string, string> = {
  backtests_cpu: 'engine, summed over workers',
  files_cpu: 'trial files, summed over workers',
};

export function formatWorkflow(r: WorkflowResult): string {
  const rows: string[][] = [['load', '', r.load_seconds.toFixed(3), 'read and fingerprint the data']];
  for (const p of r.phases) {
    rows.push([p.phase, '', p.seconds.toFixed(3), '']);
    for (const [stage, s] of Object.entries(p.stages)) rows.push(['', stage, s.toFixed(3), STAGE_NOTES[stage] ?? '']);
  }
  const width = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c]!.length), ['phase', 'stage', 'seconds'][c]!.length));
  const line = (row: string[]) => [row[0]!.padEnd(width[0]!), row[1]!.padEnd(width[1]!), row[2]!.padStart(width[2]!), row[3]].join('  ').trimEnd();
  return [
    `workflow: ${r.config} on ${r.prices} (${r.bars} bars), ${r.workers} workers`,
    line(['phase', 'stage', 'seconds', '']),
    line([width[0], width[1], width[2]].map((w) => '-'.repeat(w!)).concat('')),
    ...rows.map(line),
    `end to end ${r.seconds.toFixed(3)} s (runs ${r.runs.map((x) => x.toFixed(2)).join(', ')}); peak RSS ${(r.peak_rss_bytes / 2 ** 20).toFixed(0)} MiB; ` +
      `look-ahead proof ${r.checks.look_ahead === null ? 'not run' : r.checks.look_ahead ? 'passed' : 'FAILED'}, transitions ${r.checks.transitions_verified === null ? 'not checked' : r.checks.transitions_verified ? 'verified' : 'NOT verified'}`,
  ].join('\n');
}
