import type { Overfitting, PboResult, RegimeAnalysisReport } from '@regimen/core';
import type { OverfittingSection, OverfittingSubject, PboView } from '../model.js';
import type { WorkspaceFiles } from '../workspace-files.js';

/**
 * analysis/overfitting.json drawn: per strategy, over all trials and per classifier's ensemble
 * grid, the PBO with its logit histogram, performance degradation and probability of loss — each
 * beside the Deflated Sharpe Ratios of the regime winners it is about (regime_report.json), the
 * other half of "is this winner a fluke?".
 */
export function overfittingSection(ws: WorkspaceFiles): OverfittingSection | null {
  const o = ws.overfitting;
  if (!o) return null;
  return {
    kind: 'overfitting',
    window: o.window,
    blocks: o.blocks,
    weight_sets: o.ensemble_grid.weight_sets,
    subjects: overfittingSubjects(o).map((s) => ({ ...s, dsr: winnersDsr(ws.regimeReport, s.kind === 'strategy' ? s.name : s.kind === 'all_trials' ? null : undefined) })),
  };
}

/** The PBO results of one overfitting.json in the page's order: strategies, all trials, ensemble grids. */
export function overfittingSubjects(o: Overfitting): Array<Omit<OverfittingSubject, 'dsr'>> {
  return [
    ...Object.entries(o.strategies).map(([s, r]) => ({ key: `strategy:${s}`, kind: 'strategy' as const, name: s, label: s, pbo: pboView(r) })),
    { key: 'all_trials', kind: 'all_trials' as const, name: null, label: 'all trials', pbo: pboView(o.all_trials) },
    ...Object.entries(o.ensemble_grid.classifiers).map(([c, r]) => ({ key: `ensemble_grid:${c}`, kind: 'ensemble_grid' as const, name: c, label: `ensemble grid (${c})`, pbo: pboView(r) })),
  ];
}

function pboView(r: PboResult | null): PboView | null {
  if (!r) return null;
  return {
    pbo: r.pbo,
    trials: r.trials,
    blocks: r.blocks,
    bars_per_block: r.bars_per_block,
    splits: r.splits,
    probability_of_loss: r.probability_of_loss,
    logit_mean: r.logits.mean,
    logit_quantiles: [...r.logits.quantiles],
    edges: r.logits.histogram.edges,
    counts: r.logits.histogram.counts,
    slope: r.degradation.slope,
    intercept: r.degradation.intercept,
    in_sample_mean: r.degradation.in_sample_mean,
    out_of_sample_mean: r.degradation.out_of_sample_mean,
    sample: r.degradation.sample ?? null,
  };
}

/**
 * The DSRs of the regime winners of one strategy (a name), of every strategy (null), or none
 * (undefined: an ensemble grid's PBO is about weight sets, which have no DSR).
 */
function winnersDsr(report: RegimeAnalysisReport | undefined, strategy: string | null | undefined): OverfittingSubject['dsr'] {
  if (!report || strategy === undefined) return null;
  const dsr: number[] = [];
  for (const regimes of Object.values(report.classifiers)) {
    for (const byStrategy of Object.values(regimes)) {
      for (const [s, e] of Object.entries(byStrategy)) if ((strategy === null || s === strategy) && e.deflated_sharpe) dsr.push(e.deflated_sharpe.dsr);
    }
  }
  if (dsr.length === 0) return null;
  dsr.sort((a, b) => a - b);
  const m = dsr.length >> 1;
  return { min: dsr[0]!, median: dsr.length % 2 ? dsr[m]! : (dsr[m - 1]! + dsr[m]!) / 2, max: dsr[dsr.length - 1]!, winners: dsr.length };
}
