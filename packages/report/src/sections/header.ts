import { PHASES, type FoldPlanEntry } from '@regimen/core';
import type { HeaderSection, Scalar } from '../model.js';
import type { PageLinks } from '../links.js';
import type { WorkspaceFiles } from '../workspace-files.js';

/**
 * What ran on what: workflow, data and split, seed, costs, each phase's time, the proofs — and for
 * a fold, which fold it is; for a walk-forward, the fold plan with every fold's proofs.
 */
export function headerSection(ws: WorkspaceFiles, links: PageLinks): HeaderSection {
  const { manifest: m, config: c, validation: v } = ws;
  const scalarSummary = (s: Record<string, unknown> | undefined) =>
    Object.fromEntries(Object.entries(s ?? {}).filter((e): e is [string, Scalar] => ['number', 'string', 'boolean'].includes(typeof e[1])));
  return {
    kind: 'header',
    workflow_id: m.workflow_id,
    created_at: m.created_at,
    regimen_version: m.regimen_version,
    config_path: m.config_path,
    seed: c.seed,
    data: {
      source: m.data_fingerprint.source,
      column: c.data.column,
      bars: m.data_fingerprint.bars,
      first: m.data_fingerprint.first,
      last: m.data_fingerprint.last,
      train_bars: m.split.train_bars,
      test_bars: m.split.test_bars,
      test_start: m.split.test_start,
      bars_per_year: m.bars_per_year,
    },
    costs: c.costs,
    // a side in the parameter space is searched: the strategy's own (its default) does not apply
    strategies: c.strategies.map((s) => ({ name: s.name, type: s.type, side: 'side' in s.parameter_space ? 'searched' : s.side })),
    classifiers: c.classifiers.map((cl) => {
      const file = ws.classifiers.find((f) => f.name === cl.name);
      return { name: cl.name, plugin: cl.plugin, regimes: file?.regimes ?? [], summary: scalarSummary(file?.summary) };
    }),
    phases: ws.walkForward ? foldPhases(ws) : PHASES.map((phase) => {
      const cp = ws.checkpoints[phase];
      return { phase, configured: m.phases.includes(phase), complete: Boolean(cp), seconds: cp?.seconds ?? null, completed_at: cp?.completed_at ?? null, counts: cp?.counts ?? {} };
    }),
    proofs: v
      ? {
          transitions_verified: v.checks.transitions_verified,
          transitions_checked: v.checks.transitions_checked,
          look_ahead: v.checks.look_ahead ? { passed: v.checks.look_ahead.passed, cuts: v.checks.look_ahead.cuts.length, every_bar: v.checks.look_ahead.cuts.length >= v.bars - 1 } : null,
          transitions: v.transitions.length,
        }
      : null,
    ...(ws.fold ? { fold: { index: ws.fold.index, of: ws.fold.of, in_sample: ws.fold.plan.in_sample, out_of_sample: ws.fold.plan.out_of_sample, gap: gapOf(ws.fold.plan), top_report: links.topPage } } : {}),
    ...(ws.walkForward ? { walk_forward: walkForwardPlan(ws, links) } : {}),
  };
}

const gapOf = (f: FoldPlanEntry) => f.out_of_sample.start - f.in_sample.end;

function walkForwardPlan(ws: WorkspaceFiles, links: PageLinks): NonNullable<HeaderSection['walk_forward']> {
  const wf = ws.walkForward!;
  const cfg = ws.config.validation;
  return {
    scheme: cfg.walk_forward?.scheme ?? 'rolling',
    gap: cfg.walk_forward?.gap ?? gapOf(wf.plan[0]!),
    classifier: cfg.classifier,
    folds: wf.plan.map((f, k) => {
      const v = wf.folds[k]?.validation;
      return {
        index: f.index,
        in_sample: f.in_sample,
        out_of_sample: f.out_of_sample,
        proofs: v ? { look_ahead: v.checks.look_ahead?.passed ?? null, transitions_verified: v.checks.transitions_verified } : null,
        report: links.foldPage(f.index),
      };
    }),
  };
}

/**
 * A walk-forward's phases over its folds: complete when every fold's is; the seconds of phase 1
 * once (one pass computes every fold's trials, and each fold's checkpoint records that pass), of
 * the others summed over the folds; a count the same in every fold (trials, classifiers) once,
 * others (weight sets, bars, trades) summed.
 */
function foldPhases(ws: WorkspaceFiles): HeaderSection['phases'] {
  const folds = ws.walkForward!.folds;
  return PHASES.map((phase) => {
    const cps = folds.map((f) => f?.checkpoints[phase]);
    const done = cps.filter((c) => c !== undefined);
    const complete = done.length === folds.length && folds.length > 0;
    const counts: Record<string, number> = {};
    for (const k of new Set(done.flatMap((c) => Object.keys(c.counts)))) {
      const values = done.map((c) => c.counts[k] ?? 0);
      counts[k] = values.every((v) => v === values[0]) ? values[0]! : values.reduce((a, b) => a + b, 0);
    }
    const seconds = done.length ? (phase === 'parameter_discovery' ? Math.max(...done.map((c) => c.seconds)) : done.reduce((a, c) => a + c.seconds, 0)) : null;
    const last = done.map((c) => c.completed_at).sort().at(-1) ?? null;
    return { phase, configured: ws.manifest.phases.includes(phase), complete, seconds, completed_at: complete ? last : null, counts, folds: { done: done.length, of: folds.length } };
  });
}
