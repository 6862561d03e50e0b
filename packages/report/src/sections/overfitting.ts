import type { Overfitting, PboEntry, PboResult, RegimeAnalysisReport } from '@regimen/core';
import type { OverfittingSection, OverfittingSubject, PboView } from '../model.js';
import type { WorkspaceFiles } from '../workspace-files.js';

/**
 * analysis/overfitting.json drawn: the PBO of every selection the run makes (each regime's winner
 * per strategy, each regime's weights) with its logit histogram, performance degradation and
 * probability of loss, then the secondary per-strategy lines — each beside the Deflated Sharpe
 * Ratios of the regime winners it is about (regime_report.json), the other half of "is this
 * winner a fluke?".
 */
export function overfittingSection(ws: WorkspaceFiles): OverfittingSection | null {
  const o = ws.overfitting;
  if (!o) return null;
  return {
    kind: 'overfitting',
    window: o.window,
    blocks: o.blocks,
    subjects: overfittingSubjects(o).map((s) => ({ ...s, dsr: winnersDsr(ws.regimeReport, s) })),
  };
}

/** The entries of one overfitting.json as drawn, in the file's order: selections, ensemble weights, secondary lines. */
export function overfittingSubjects(o: Overfitting): Array<Omit<OverfittingSubject, 'dsr'>> {
  return o.entries.map((e) => ({
    key: e.key,
    kind: e.kind,
    classifier: e.classifier,
    regime: e.regime,
    strategy: e.strategy,
    label: entryLabel(e),
    ranked: e.ranked,
    statistic: e.statistic,
    bars: e.bars,
    pbo: pboView(e.result),
    reason: e.reason,
  }));
}

export function entryLabel(e: Pick<PboEntry, 'kind' | 'classifier' | 'regime' | 'strategy'>): string {
  switch (e.kind) {
    case 'selection': return `${e.strategy} in ${e.regime} (${e.classifier})`;
    case 'ensemble': return `weights in ${e.regime} (${e.classifier})`;
    case 'strategy': return `${e.strategy}, best overall (Sharpe)`;
    case 'all_trials': return 'all trials, best overall (Sharpe)';
  }
}

/**
 * A fold's PBOs summarised in a few columns, for the walk-forward pages: per classifier, the mean
 * PBO of its per-regime winners (over strategies and regimes that have one) and of its regime
 * weights; then the secondary per-strategy and all-trials lines.
 */
export function pboColumns(o: Overfitting): Array<{ key: string; label: string; pbo: number | null; candidates: number | null }> {
  const groups = new Map<string, { label: string; pbos: number[]; candidates: number[] }>();
  for (const e of o.entries) {
    const key = e.kind === 'selection' || e.kind === 'ensemble' ? `${e.kind}/${e.classifier}` : e.key;
    const label = e.kind === 'selection' ? `winners (${e.classifier}), mean` : e.kind === 'ensemble' ? `weights (${e.classifier}), mean` : entryLabel(e);
    const g = groups.get(key) ?? { label, pbos: [], candidates: [] };
    if (e.result) g.pbos.push(e.result.pbo), g.candidates.push(e.result.candidates);
    groups.set(key, g);
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  return [...groups].map(([key, g]) => ({ key, label: g.label, pbo: mean(g.pbos), candidates: g.candidates.length ? Math.max(...g.candidates) : null }));
}

function pboView(r: PboResult | null): PboView | null {
  if (!r) return null;
  return {
    pbo: r.pbo,
    candidates: r.candidates,
    blocks: r.blocks,
    bars_per_block: r.bars_per_block,
    splits: r.splits,
    splits_used: r.splits_used,
    at_median: r.at_median,
    probability_of_loss: r.probability_of_loss,
    logit_mean: r.logits.mean,
    logit_quantiles: [...r.logits.quantiles],
    edges: r.logits.histogram.edges,
    counts: r.logits.histogram.counts,
    slope: r.degradation.slope,
    intercept: r.degradation.intercept,
    in_sample_mean: r.degradation.in_sample_mean,
    out_of_sample_mean: r.degradation.out_of_sample_mean,
    sample: r.degradation.sample,
  };
}

/**
 * The DSRs of the regime winners an entry is about: the one winner of a selection entry, every
 * regime winner of a strategy, every winner for all trials; none for weights (they have no DSR).
 */
function winnersDsr(report: RegimeAnalysisReport | undefined, s: Omit<OverfittingSubject, 'dsr'>): OverfittingSubject['dsr'] {
  if (!report || s.kind === 'ensemble') return null;
  const dsr: number[] = [];
  for (const [c, regimes] of Object.entries(report.classifiers)) {
    if (s.kind === 'selection' && c !== s.classifier) continue;
    for (const [r, byStrategy] of Object.entries(regimes)) {
      if (s.kind === 'selection' && r !== s.regime) continue;
      for (const [st, e] of Object.entries(byStrategy)) if ((s.strategy === null || st === s.strategy) && e.deflated_sharpe) dsr.push(e.deflated_sharpe.dsr);
    }
  }
  if (dsr.length === 0) return null;
  dsr.sort((a, b) => a - b);
  const m = dsr.length >> 1;
  return { min: dsr[0]!, median: dsr.length % 2 ? dsr[m]! : (dsr[m - 1]! + dsr[m]!) / 2, max: dsr[dsr.length - 1]!, winners: dsr.length };
}
