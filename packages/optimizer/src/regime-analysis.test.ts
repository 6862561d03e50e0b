import { describe, expect, it } from 'vitest';
import { isRegimenError, ParetoFrontsSchema, RegimeOptimalParamsSchema, type Metrics, type RegimeMetrics, type TrialPerformance } from '@regimen/core';
import { analyzeRegimes, deflatedSharpe, parameterSurface, ParameterSurfaceSchema, RegimeAnalysisReportSchema } from './index.js';

const base: Metrics = { sharpe: 0, sortino: 0, max_drawdown: 0.1, total_return: 0, cagr: 0, volatility: 0.1, trades: 5, exposure: 0.5 };
const rm = (sharpe: number, bars: number, trades = 5): RegimeMetrics => ({ ...base, sharpe, bars, trades });

function trial(id: string, strategy: string, overall: number, regimes: Record<string, RegimeMetrics>): TrialPerformance {
  return { trial_id: id, strategy, type: 'momentum', params: { lookback: Number(id) }, split: 'train', bars: 500, metrics: { ...base, sharpe: overall }, regimes: { hmm: regimes }, signals_path: null };
}

// Strategy A in bull: '2' and '10' tie at sharpe 2 ('2' wins: lower id), then '7' (1), '5' (0.5).
// Strategy A in bear: '5' has the best sharpe but too few bars, '7' no trades; '2' wins over '10'.
// Strategy B has too few bars in bear everywhere: its best overall trial ('21') stands in.
const trials: TrialPerformance[] = [
  trial('10', 'A', 0.1, { bull: rm(2, 60), bear: rm(0.1, 40) }),
  trial('2', 'A', 0.1, { bull: rm(2, 60), bear: rm(0.3, 40) }),
  trial('7', 'A', 0.1, { bull: rm(1, 60), bear: rm(0.9, 40, 0) }),
  trial('5', 'A', 0.1, { bull: rm(0.5, 60), bear: rm(3, 5) }),
  trial('20', 'B', 0.8, { bull: rm(1, 60), bear: rm(1, 3) }),
  trial('21', 'B', 1.2, { bull: rm(0.5, 60), bear: rm(2, 3) }),
];
const opts = { classifiers: [{ name: 'hmm', regimes: ['bull', 'bear'] }], strategies: ['A', 'B'], objective: 'sharpe', min_bars: 20, min_trades: 1, runners_up: 2, bars_per_year: 252 };

describe('analyzeRegimes', () => {
  const { optimal, report } = analyzeRegimes(trials, opts);
  it('picks the best trial per regime with ties to the lower trial id', () => {
    expect(RegimeOptimalParamsSchema.parse(optimal)).toEqual(optimal);
    expect(optimal.hmm!.bull!.A).toEqual({ params: { lookback: 2 }, trial_id: '2', metric: 'sharpe', score: 2 });
    const e = report.classifiers.hmm!.bull!.A!;
    expect(e.runners_up.map((r) => r.trial_id)).toEqual(['10', '7']);
    // scores 2, 2, 1, 0.5: median 1.5
    expect(e.spread).toBeCloseTo(0.5, 12);
    expect(e.considered).toBe(4);
  });
  it('skips trials under min_bars or min_trades and says how many', () => {
    expect(optimal.hmm!.bear!.A!.trial_id).toBe('2');
    expect(report.classifiers.hmm!.bear!.A!.excluded).toEqual({ missing: 0, below_min_bars: 1, below_min_trades: 1, non_finite: 0 });
  });
  it('falls back to the best overall trial when no trial passes, and reports it as skipped', () => {
    expect(optimal.hmm!.bear!.B).toMatchObject({ trial_id: '21', score: 1.2 });
    const e = report.classifiers.hmm!.bear!.B!;
    expect(e.winner.basis).toBe('overall');
    expect(e.skipped).toMatch(/2 under min_bars 20/);
    expect(report.skipped).toEqual([{ classifier: 'hmm', regime: 'bear', strategy: 'B', reason: e.skipped }]);
    expect(e.deflated_sharpe).toBeNull();
  });
  it("reports the winner's Deflated Sharpe Ratio over the trials ranked", () => {
    const perBar = [2, 2, 1, 0.5].map((s) => s / Math.sqrt(252));
    const mean = perBar.reduce((a, b) => a + b) / 4;
    const variance = perBar.reduce((a, b) => a + (b - mean) ** 2, 0) / 3;
    const want = deflatedSharpe({ sharpe: perBar[0]!, variance, trials: 4, bars: 60 })!;
    const got = report.classifiers.hmm!.bull!.A!.deflated_sharpe!;
    expect(got.dsr).toBeCloseTo(want.dsr, 12);
    expect(got.variance).toBeCloseTo(variance, 15);
    expect(got.assumed_normal).toBe(true);
    expect(RegimeAnalysisReportSchema.parse(report)).toEqual(report);
  });
  it('needs results for every strategy', () => {
    try {
      analyzeRegimes(trials, { ...opts, strategies: ['A', 'C'] });
      expect.unreachable();
    } catch (e) {
      expect(isRegimenError(e) && e.message).toMatch(/strategy "C"/);
    }
  });
});

describe('parameterSurface', () => {
  it('lists every trial with params and metrics, ordered by strategy then id', () => {
    const s = ParameterSurfaceSchema.parse(parameterSurface(trials));
    expect(s.trials.map((t) => t.trial_id)).toEqual(['2', '5', '7', '10', '20', '21']);
    expect(s.trials[0]!.regimes.hmm!.bear!.sharpe).toBe(0.3);
  });
});

describe('analyzeRegimes with several objectives', () => {
  const dd = (sharpe: number, maxDd: number): RegimeMetrics => ({ ...rm(sharpe, 60), max_drawdown: maxDd });
  // sharpe vs −max_drawdown in bull: 'a' (1.2, 40 %), 'b' (1.0, 10 %), 'c' (0.3, 5 %) trade off; 'd' is dominated by 'b'
  const ts = [
    trial('1', 'A', 0.1, { bull: dd(1.2, 0.4), bear: rm(0.2, 40) }),
    trial('2', 'A', 0.1, { bull: dd(1.0, 0.1), bear: rm(0.1, 40) }),
    trial('3', 'A', 0.1, { bull: dd(0.3, 0.05), bear: rm(0.4, 5) }),
    trial('4', 'A', 0.1, { bull: dd(0.9, 0.3), bear: rm(0.3, 5) }),
  ];
  const run = (select: 'first_objective' | 'knee' | 'weighted', weights: number[] | null = null) =>
    analyzeRegimes(ts, { ...opts, strategies: ['A'], objective: 'sharpe', pareto: { objectives: ['sharpe', '-max_drawdown'], select, weights } });

  it('writes each regime\'s front and picks the winner by the stated rule', () => {
    const first = run('first_objective');
    const front = ParetoFrontsSchema.parse(first.fronts).classifiers.hmm!.bull!.A!;
    expect(front.front.map((p) => [p.trial_id, ...p.scores])).toEqual([['1', 1.2, -0.4], ['2', 1.0, -0.1], ['3', 0.3, -0.05]]);
    expect(front.considered).toBe(4);
    expect(first.optimal.hmm!.bull!.A!.trial_id).toBe('1');
    const knee = run('knee');
    expect(knee.optimal.hmm!.bull!.A!.trial_id).toBe('2');
    expect(knee.fronts!.classifiers.hmm!.bull!.A!.winner).toBe('2');
    // the pick leads the report; the others stay runners-up in sharpe order
    expect(knee.report.classifiers.hmm!.bull!.A!.winner.trial_id).toBe('2');
    expect(knee.report.classifiers.hmm!.bull!.A!.runners_up.map((x) => x.trial_id)).toEqual(['1', '4']);
    expect(knee.report.pareto).toEqual({ objectives: ['sharpe', '-max_drawdown'], select: 'knee', weights: null });
    expect(run('weighted', [0, 1]).optimal.hmm!.bull!.A!.trial_id).toBe('3');
  });

  it('a regime no trial passes the filters has an empty front and the overall best stands in', () => {
    const r = run('knee');
    // bear: '3' and '4' have 5 bars (< min_bars 20); '1' and '2' rank, both on bear's front of (sharpe, −dd) — equal dd, so '1' dominates
    expect(r.fronts!.classifiers.hmm!.bear!.A!.front.map((p) => p.trial_id)).toEqual(['1']);
    const none = analyzeRegimes(ts.map((t) => ({ ...t, regimes: { hmm: { bull: t.regimes.hmm!.bull!, bear: rm(1, 2) } } })), { ...opts, strategies: ['A'], pareto: { objectives: ['sharpe', '-max_drawdown'], select: 'knee', weights: null } });
    expect(none.fronts!.classifiers.hmm!.bear!.A).toEqual({ considered: 0, front: [], winner: null });
    expect(none.report.classifiers.hmm!.bear!.A!.winner.basis).toBe('overall');
  });
});
