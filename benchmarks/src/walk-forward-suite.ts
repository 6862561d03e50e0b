import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchOptions } from './options.js';
import { benchData, benchWorkflow, phaseTotals, repo, runChecks, runWorkflowChild, type WorkflowPhase } from './workflow-suite.js';

export interface WalkForwardRun {
  seconds: number;
  runs: number[];
  /** phase 1 as a whole, and its stages */
  phase1: WorkflowPhase;
  phases: WorkflowPhase[];
  peak_rss_bytes: number;
  proofs_passed: boolean;
}

export interface WalkForwardBenchResult {
  suite: 'walk-forward';
  bars: number;
  folds: number;
  trials: number;
  workers: number;
  prices: string;
  plan: string;
  single: WalkForwardRun;
  walk_forward: WalkForwardRun;
  /** walk-forward / single: phase 1 without the classifier fits (the trials: kernel, signals, files) — target ≤ 1.5 */
  phase1_trials_ratio: number;
  /** walk-forward / single: all of phase 1, the per-fold fits included */
  phase1_ratio: number;
  /** walk-forward / single, end to end — target ≤ 2 */
  end_to_end_ratio: number;
}

/** The seed's strategies over a grid big enough for phase 1 to be more than its fits: 30 lookbacks × 10 thresholds each. */
const GRID = { lookback: { min: 5, max: 150, step: 5 }, threshold: { min: 0, max: 0.0045, step: 0.0005 } };

/**
 * What a walk-forward costs over a single split, measured on the same data and trials: the seed
 * workflow (600 trials: 2 strategies × 30 × 10) run once with its default 70/30 split and once as a
 * `--folds`-fold rolling walk-forward whose in-sample windows hold 40 % of the bars each and whose
 * out-of-sample windows cut the remaining 60 % in equal parts. Phase 1 of the walk-forward computes
 * each trial's positions once and scores them on every fold's window; its classifier fits are per
 * fold (they must be), so the ratio is given with and without them.
 */
export async function walkForwardSuite(o: BenchOptions): Promise<WalkForwardBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'regimen-walk-forward-'));
  try {
    const data = benchData(o, dir);
    const seed = readFileSync(repo('examples/seed-workflow.yaml'), 'utf8');
    const folds = o.folds;
    const run = (name: string, validation: Record<string, unknown>): WalkForwardRun => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, benchWorkflow(seed, data, join(dir, name), (doc) => {
        doc.setIn(['workflow', 'phases', 0, 'config', 'parameter_space'], doc.createNode(GRID));
        if (o.pboBlocks) doc.setIn(['workflow', 'phases', 1, 'config', 'pbo_blocks'], o.pboBlocks);
        for (const [k, v] of Object.entries(validation)) doc.setIn(['workflow', 'phases', 3, 'config', k], v);
      }));
      const { median, runs, peak_rss_bytes } = runWorkflowChild(file, o.workers, o.repeat);
      const phases = phaseTotals(median.phases);
      const checks = runChecks(median.workspace);
      return { seconds: median.seconds, runs, phase1: phases[0]!, phases, peak_rss_bytes, proofs_passed: checks.look_ahead === true && checks.transitions_verified === true };
    };
    const single = run('single', {});
    const walkForward = run('walk_forward', { method: 'walk_forward', folds, scheme: 'rolling', in_sample: 0.4 });
    const trialsOf = (r: WalkForwardRun) => r.phase1.seconds - (r.phase1.stages.fit ?? 0) - (r.phase1.stages.label ?? 0);
    return {
      suite: 'walk-forward',
      bars: o.prices ? Number.NaN : o.bars,
      folds,
      trials: 600,
      workers: o.workers,
      prices: o.prices ?? `generated one-minute bars, seed ${o.seed}`,
      plan: `single: 70 % train / 30 % test; walk-forward: ${folds} rolling folds, in-sample 40 % of the bars each, out-of-sample the other 60 % in ${folds} parts${o.pboBlocks ? `; pbo_blocks ${o.pboBlocks}` : ''}`,
      single,
      walk_forward: walkForward,
      phase1_trials_ratio: trialsOf(walkForward) / trialsOf(single),
      phase1_ratio: walkForward.phase1.seconds / single.phase1.seconds,
      end_to_end_ratio: walkForward.seconds / single.seconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatWalkForwardBench(r: WalkForwardBenchResult): string {
  const stages = [...new Set([...Object.keys(r.single.phase1.stages), ...Object.keys(r.walk_forward.phase1.stages)])];
  const row = (what: string, a: number | undefined, b: number | undefined) => [what, (a ?? 0).toFixed(3), (b ?? 0).toFixed(3), a ? `${((b ?? 0) / a).toFixed(2)}×` : ''];
  const rows = [
    row('phase 1', r.single.phase1.seconds, r.walk_forward.phase1.seconds),
    ...stages.map((s) => row(`  ${s}`, r.single.phase1.stages[s], r.walk_forward.phase1.stages[s])),
    ...r.single.phases.slice(1).map((p, i) => row(p.phase, p.seconds, r.walk_forward.phases[i + 1]?.seconds)),
    row('end to end', r.single.seconds, r.walk_forward.seconds),
  ];
  const width = [0, 1, 2, 3].map((c) => Math.max(...rows.map((x) => x[c]!.length), ['', 'single', 'walk-forward', 'ratio'][c]!.length));
  const line = (x: string[]) => x.map((v, c) => (c === 0 ? v.padEnd(width[c]!) : v.padStart(width[c]!))).join('  ');
  return [
    `walk-forward: ${r.trials} trials on ${r.prices} (${r.bars} bars), ${r.workers} workers; ${r.plan}`,
    line(['', 'single', 'walk-forward', 'ratio']),
    line(width.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    `phase 1 without the classifier fits: ${r.phase1_trials_ratio.toFixed(2)}× the single split (target ≤ 1.5×); with them ${r.phase1_ratio.toFixed(2)}×; end to end ${r.end_to_end_ratio.toFixed(2)}× (target ≤ 2×); ` +
      `proofs passed: single ${r.single.proofs_passed ? 'yes' : 'NO'}, every fold ${r.walk_forward.proofs_passed ? 'yes' : 'NO'}; peak RSS ${(r.walk_forward.peak_rss_bytes / 2 ** 20).toFixed(0)} MiB`,
  ].join('\n');
}
