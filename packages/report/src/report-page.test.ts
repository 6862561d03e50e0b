import { cpSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  CheckpointSchema,
  EnsembleWeightsSchema,
  ManifestSchema,
  NO_REGIME,
  OverfittingSchema,
  ParameterSurfaceSchema,
  PHASES,
  readJsonFile,
  RegimeAnalysisReportSchema,
  ValidationResultsSchema,
  ValidationTradesSchema,
  workspacePaths,
  type PboResult,
  type ValidationResults,
} from '@regimen/core';
import { readRegimeLabels, readValidationEquity } from '@regimen/data';
import { formatMetric, formatNumber } from './format.js';
import { launchChromium, openReport, type OpenedReport } from './chromium.js';
import { reportTestWorkspace } from '../test/workspaces.js';
import { writeReport, type WrittenReport } from './index.js';

/**
 * The report opened in real headless Chromium (one launch for the whole file), checked against
 * the workspace's files read here on their own: charts, series, cells and numbers.
 */
const SCREENSHOT = fileURLToPath(new URL('../test-output/report.png', import.meta.url));
const METRICS = ['sharpe', 'sortino', 'max_drawdown', 'total_return', 'cagr', 'volatility', 'trades', 'exposure'] as const;

let browser: Browser;
let opened: OpenedReport;
let page: Page;
let written: WrittenReport;
let ws: ReturnType<typeof workspacePaths>;
let v: ValidationResults;

/** the uPlot chart `name`: its series labels and the data it draws */
const chart = (name: string) =>
  page.evaluate((n) => {
    const u = (globalThis as unknown as { regimenCharts: Map<string, { series: Array<{ label: string }>; data: number[][]; scales: Record<string, { distr: number }> }> }).regimenCharts.get(n)!;
    return { labels: u.series.slice(1).map((s) => s.label), data: u.data.map((d) => Array.from(d)), distr: u.scales.y!.distr };
  }, name);
const texts = (selector: string) => page.$$eval(selector, (els) => els.map((e) => e.textContent ?? ''));
const attr = (selector: string, name: string) => page.$eval(selector, (e, a) => e.getAttribute(a), name);
const runLabels = (r: ValidationResults) => ['adaptive', `best static (${r.baselines.best_static.strategy})`, 'equal weights', 'buy and hold', ...Object.keys(r.other_classifiers).map((c) => `adaptive (${c})`)];

beforeAll(async () => {
  const dir = await reportTestWorkspace();
  ws = workspacePaths(dir);
  v = readJsonFile(ws.validationResults, ValidationResultsSchema);
  written = await writeReport(dir);
  browser = await launchChromium();
  opened = await openReport(browser, written.path);
  page = opened.page;
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe('the report in headless Chromium', () => {
  it('opens from file:// with no console error and no network request', () => {
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
    expect(written.path).toBe(ws.report);
  });

  it('names the data and workflow files without the machine\'s folders, the full path one hover away', async () => {
    const m = readJsonFile(ws.manifest, ManifestSchema);
    const shown = await page.$$eval('dl.facts [data-path]', (els) => els.map((e) => [e.textContent, e.getAttribute('title')]));
    expect(shown).toEqual([[basename(m.data_fingerprint.source), m.data_fingerprint.source], [basename(m.config_path), m.config_path]]);
    const facts = (await texts('dl.facts')).join(' ');
    expect(facts).not.toContain(tmpdir());
    expect(facts).not.toContain(dirname(m.config_path));
  });

  it('shows every phase\'s seconds from its checkpoint and the proofs\' status', async () => {
    const rows = await page.$$eval('[data-table="phases"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map((r) => r[0])).toEqual([...PHASES]);
    for (const [phase, , seconds] of rows) expect(seconds).toBe(formatNumber(readJsonFile(ws.checkpoint(phase as (typeof PHASES)[number]), CheckpointSchema).seconds, 2));
    expect(await texts('[data-proof="look_ahead"]')).toEqual([`no look-ahead: none found, checked at ${v.checks.look_ahead!.cuts.length} cuts (sampled; regimen run --exhaustive checks every bar)`]);
  });

  it('writes every validation metric as the file has it (text formatted, full value as tooltip)', async () => {
    const rows = await page.$$eval('[data-table="validation-metrics"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => [td.textContent, td.getAttribute('title')])));
    const runs = [v.adaptive, v.baselines.best_static, v.baselines.equal_weights, v.baselines.buy_and_hold, ...Object.values(v.other_classifiers)];
    expect(rows).toHaveLength(runs.length);
    runs.forEach((r, i) => expect(rows[i]).toEqual(METRICS.map((m) => [formatMetric(m, r.metrics[m]), String(r.metrics[m])])));
  });

  it('draws one equity line per run, named as in validation_results.json, exactly the equity file\'s values', async () => {
    const eq = readValidationEquity(ws.validationEquity);
    const c = await chart('equity');
    expect(c.labels).toEqual(runLabels(v));
    expect(await attr('[data-chart="equity"]', 'data-series')).toBe(String(eq.meta.runs.length));
    // 600 bars: drawn whole
    expect(c.data[0]).toEqual(Array.from(eq.time, (t) => t / 1000));
    eq.meta.runs.forEach((run, k) => expect(c.data[k + 1]).toEqual(Array.from(eq.equity[run]!)));
    // the legend at rest shows each run's final equity, 1 + total_return
    const legend = await texts('[data-chart="equity"] .u-legend .u-series .u-value');
    expect(legend.slice(1)).toEqual([v.adaptive, v.baselines.best_static, v.baselines.equal_weights, v.baselines.buy_and_hold, ...Object.values(v.other_classifiers)].map((r) => formatNumber(1 + r.metrics.total_return, 4)));
  });

  it('draws every run\'s drawdown, whose lowest point is its max drawdown', async () => {
    const c = await chart('drawdown');
    expect(c.labels).toEqual(runLabels(v));
    const expected = [v.adaptive, v.baselines.best_static, v.baselines.equal_weights, v.baselines.buy_and_hold, ...Object.values(v.other_classifiers)].map((r) => -r.metrics.max_drawdown);
    expect(c.data.slice(1).map((d) => Math.min(...d))).toEqual(expected);
  });

  it('paints one band per regime run of the chosen classifier, and switches classifier and scale', async () => {
    for (const classifier of ['hmm', 'pattern_based', 'jumpy']) {
      await page.check(`input[name="equity-bands"][value="${classifier}"]`);
      const labels = readRegimeLabels(ws.regimeLabels(classifier, 'test')).labels;
      let runs = 0;
      for (let t = 0; t < labels.length; t++) if ((t === 0 || labels[t] !== labels[t - 1]) && labels[t] !== NO_REGIME) runs++;
      expect(await attr('[data-chart="equity"]', 'data-bands')).toBe(String(runs));
      expect(await attr('[data-chart="drawdown"]', 'data-band-classifier')).toBe(classifier);
    }
    await page.check('input[name="equity-bands"][value="none"]');
    expect(await attr('[data-chart="equity"]', 'data-bands')).toBe('0');
    await page.check('input[name="equity-scale"][value="log"]');
    expect((await chart('equity')).distr).toBe(3);
    await page.check('input[name="equity-scale"][value="linear"]');
    expect((await chart('equity')).distr).toBe(1);
  });

  it('lists every run\'s per-regime metrics', async () => {
    const rows = await page.$$eval('[data-table="validation-regimes"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-run'), tr.getAttribute('data-regime'), tr.querySelector('td.num')!.textContent]));
    const expected = [
      ...Object.entries(v.adaptive.regimes).map(([r, m]) => ['adaptive', r, formatMetric('bars', m.bars)]),
      ...Object.entries(v.baselines.best_static.regimes).map(([r, m]) => ['best_static', r, formatMetric('bars', m.bars)]),
      ...Object.entries(v.baselines.equal_weights.regimes).map(([r, m]) => ['equal_weights', r, formatMetric('bars', m.bars)]),
      ...Object.entries(v.baselines.buy_and_hold.regimes).map(([r, m]) => ['buy_and_hold', r, formatMetric('bars', m.bars)]),
      ...Object.entries(v.other_classifiers).flatMap(([c, o]) => Object.entries(o.regimes).map(([r, m]) => [`adaptive:${c}`, r, formatMetric('bars', m.bars)])),
    ];
    expect(rows).toEqual(expected);
  });

  it('shows each classifier × regime × strategy winner with its score, runners-up, spread and DSR', async () => {
    const report = readJsonFile(ws.regimeReport, RegimeAnalysisReportSchema);
    let n = 0;
    for (const [c, regimes] of Object.entries(report.classifiers)) {
      for (const [r, byStrategy] of Object.entries(regimes)) {
        for (const [s, e] of Object.entries(byStrategy)) {
          const row = `[data-table="winners"] tr[data-classifier="${c}"][data-regime="${r}"][data-strategy="${s}"]`;
          const cells = await page.$$eval(`${row} td`, (tds) => tds.map((td) => td.textContent));
          expect(cells[3]).toBe(formatMetric('score', e.winner.score));
          expect(cells[6]).toBe(formatMetric('score', e.spread));
          expect(cells[7]).toBe(formatMetric('dsr', e.deflated_sharpe?.dsr));
          expect(await page.$$eval(`${row} td.runners-up > div`, (ds) => ds.map((d) => d.getAttribute('data-value')))).toEqual(e.runners_up.map((x) => String(x.score)));
          n++;
        }
      }
    }
    expect(n).toBe(3 * 2 * 4);
  });

  it('draws a heatmap per two-parameter strategy with one cell per grid point and the regime\'s winner outlined', async () => {
    const surface = readJsonFile(ws.parameterSurface, ParameterSurfaceSchema);
    const report = readJsonFile(ws.regimeReport, RegimeAnalysisReportSchema);
    const trend = '[data-chart="surface"][data-strategy="trend"]';
    expect(await attr(trend, 'data-view')).toBe('hmm/bull');
    const cells = await page.$$eval(`${trend} g.cell rect, ${trend} g.unranked-cell rect`, (rs) => rs.map((r) => [r.querySelector('title')?.textContent ?? '', r.getAttribute('x'), r.getAttribute('y')]));
    expect(cells).toHaveLength(surface.trials.filter((t) => t.strategy === 'trend').length);
    const w = report.classifiers.hmm!.bull!.trend!.winner.params;
    const winnerCell = cells.find(([title]) => title!.startsWith(`fast=${w.fast} slow=${w.slow}:`))!;
    const outlined = await page.$$eval(`${trend} g.winner rect`, (rs) => rs.map((r) => [r.getAttribute('x'), r.getAttribute('y')]));
    expect(outlined).toEqual([[winnerCell[1], winnerCell[2]]]);
    // another view re-scores the cells
    await page.selectOption('select[name="surface-view-trend"]', 'pattern_based/range');
    expect(await attr(trend, 'data-view')).toBe('pattern_based/range');
  });

  it('offers axis selectors for three parameters (best over the third) and a line for one', async () => {
    const swing = '[data-chart="surface"][data-strategy="swing"]';
    expect(await page.$$eval(`${swing} g.cell rect, ${swing} g.unranked-cell rect`, (rs) => rs.length)).toBe(4);
    await page.selectOption('select[name="surface-y-swing"]', '2');
    expect(await page.$$eval(`${swing} g.cell rect, ${swing} g.unranked-cell rect`, (rs) => rs.length)).toBe(4);
    expect(await page.$eval(`${swing} + figcaption`, (e) => e.textContent)).toMatch(/period × upper.*best over lower/);
    const channel = '[data-chart="surface"][data-strategy="channel"]';
    expect(await page.$$eval(`${channel} g.line path`, (ps) => ps.length)).toBe(1);
    expect(await page.$$eval(`${channel} g.winner circle`, (cs) => cs.length)).toBe(1);
  });

  it('stacks each regime\'s weights as in ensemble_weights.json and draws each regime\'s convergence', async () => {
    const weights = readJsonFile(ws.ensembleWeights, EnsembleWeightsSchema);
    for (const [c, byRegime] of Object.entries(weights)) {
      const bars = await page.$$eval(`[data-chart="weights"][data-classifier="${c}"] g.weight rect`, (rs) => rs.map((r) => r.querySelector('title')!.textContent));
      const expected = Object.entries(byRegime).flatMap(([r, w]) => Object.entries(w).map(([s, x]) => `${r}: ${s} ${formatNumber(x, 3)}`));
      expect(bars.sort()).toEqual(expected.sort());
      const table = await page.$$eval(`[data-table="weights"][data-classifier="${c}"] tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td.num')].map((td) => td.getAttribute('data-value'))));
      expect(table.map((r) => r.slice(0, -1))).toEqual(Object.values(byRegime).map((w) => Object.values(w).map(String)));
      expect(await page.$$eval(`[data-chart="convergence"][data-classifier="${c}"] g.convergence path`, (ps) => ps.length)).toBe(Object.keys(byRegime).length);
    }
  });

  it('shows the PBO of every selection and secondary line as analysis/overfitting.json has it, saying what was ranked, with its histogram and degradation', async () => {
    const o = readJsonFile(ws.overfitting, OverfittingSchema);
    const subjects: Array<[string, PboResult | null]> = o.entries.map((e) => [e.key, e.result]);
    expect(o.entries.some((e) => e.kind === 'selection' && e.result)).toBe(true);
    const rows = await page.$$eval('[data-table="overfitting"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-subject'), ...[...tr.querySelectorAll('td.num')].slice(0, 6).map((td) => td.getAttribute('data-value'))]));
    expect(rows).toEqual(subjects.map(([key, r]) => [key, ...(r ? [r.pbo, r.candidates, r.splits_used, r.probability_of_loss, r.degradation.slope, r.degradation.in_sample_mean].map(String) : [null, ...Array(5).fill(null)])]));
    const ranked = await page.$$eval('[data-table="overfitting"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)));
    expect(ranked).toEqual(o.entries.map((e) => [e.ranked, e.statistic]));
    for (const [key, r] of subjects) {
      if (!r) continue;
      const at = `[data-subject="${key}"]`;
      expect(await page.$$eval(`[data-chart="logits"]${at} g.logit-bin rect`, (rs) => rs.length)).toBe(r.logits.histogram.counts.length);
      expect(await page.$$eval(`[data-chart="logits"]${at} g.logit-bin rect title`, (ts) => ts.map((t) => Number(/: (\d+) splits/.exec(t.textContent!)![1])))).toEqual(r.logits.histogram.counts);
      expect(await page.$$eval(`[data-chart="degradation"]${at} g.split circle`, (cs) => cs.length)).toBe(r.degradation.sample.length);
      expect(await page.$$eval(`[data-chart="degradation"]${at} g.regression path`, (ps) => ps.length)).toBe(1);
    }
    // the strategies' DSR column: the median of their regime winners' Deflated Sharpe Ratios
    const report = readJsonFile(ws.regimeReport, RegimeAnalysisReportSchema);
    const dsr = Object.values(report.classifiers).flatMap((rs) => Object.values(rs).flatMap((bs) => (bs.trend?.deflated_sharpe ? [bs.trend.deflated_sharpe.dsr] : []))).sort((a, b) => a - b);
    const median = dsr.length % 2 ? dsr[dsr.length >> 1]! : (dsr[dsr.length / 2 - 1]! + dsr[dsr.length / 2]!) / 2;
    expect(await page.$eval('[data-table="overfitting"] tr[data-subject="strategy/trend"] td:nth-child(11)', (td) => td.getAttribute('data-value'))).toBe(String(median));
  });

  it('counts each regime\'s bars and transitions as the label files have them', async () => {
    for (const c of ['hmm', 'pattern_based', 'jumpy']) {
      for (const split of ['train', 'test'] as const) {
        const l = readRegimeLabels(ws.regimeLabels(c, split));
        const key = `[data-classifier="${c}"][data-split="${split}"]`;
        const counts = await page.$$eval(`[data-table="regime-stats"]${key} tbody tr`, (trs) => trs.map((tr) => tr.querySelector('td')!.getAttribute('data-value')));
        expect(counts).toEqual(l.names.map((_, k) => String(l.labels.filter((x) => x === k).length)));
        const matrix = await page.$$eval(`[data-table="transition-matrix"]${key} tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.getAttribute('data-count')))));
        const expected = l.names.map(() => l.names.map(() => 0));
        for (let t = 1; t < l.labels.length; t++) if (l.labels[t] !== NO_REGIME && l.labels[t - 1] !== NO_REGIME) expected[l.labels[t - 1]!]![l.labels[t]!]!++;
        expect(matrix).toEqual(expected);
      }
    }
  });

  it('pages through every trade of the file and sorts by any column', async () => {
    const trades = readJsonFile(ws.validationTrades, ValidationTradesSchema).trades;
    expect(await attr('[data-table="trades"]', 'data-rows')).toBe(String(trades.length));
    const bars = () => page.$$eval('[data-table="trades"] tbody tr', (trs) => trs.map((tr) => Number(tr.querySelector('td')!.textContent)));
    expect(await bars()).toEqual(trades.slice(0, 25).map((t) => t.bar));
    await page.click('[data-table="trades"] .pager button[title="next page"]');
    expect(await bars()).toEqual(trades.slice(25, 50).map((t) => t.bar));
    const price = '[data-table="trades"] thead th:nth-child(6)';
    await page.click(price);
    await page.click(price);
    expect(await page.$eval(price, (th) => th.getAttribute('aria-sort'))).toBe('descending');
    const first = await page.$eval('[data-table="trades"] tbody tr td:nth-child(6)', (td) => td.getAttribute('title'));
    expect(first).toBe(String(Math.max(...trades.map((t) => t.price))));
    expect(await attr('[data-table="transitions"]', 'data-rows')).toBe(String(v.transitions.length));
  });

  it('warns about the strategy that never trades and the classifier that flickers, as the CLI does', async () => {
    const shown = await page.$$eval('[data-warning]', (ls) => ls.map((l) => [l.getAttribute('data-warning'), l.getAttribute('data-subject')]));
    expect(shown).toEqual(written.warnings.map((w) => [w.code, w.subject]));
    // dormant never trades (thresholds of 500 %); jumpy (a 2-bar channel, 1-bar hold) switches regime every bar or two
    const surface = readJsonFile(ws.parameterSurface, ParameterSurfaceSchema);
    expect(surface.trials.filter((t) => t.strategy === 'dormant').every((t) => t.metrics.trades === 0)).toBe(true);
    // and a PBO above one half, wherever one of the run's selections in analysis/overfitting.json has one
    const o = readJsonFile(ws.overfitting, OverfittingSchema);
    const over = [...new Set(o.entries.filter((e) => (e.kind === 'selection' || e.kind === 'ensemble') && e.result && e.result.pbo > 0.5).map((e) => `${e.classifier}/${e.kind}`))]
      .sort((a, b) => o.entries.findIndex((e) => `${e.classifier}/${e.kind}` === a) - o.entries.findIndex((e) => `${e.classifier}/${e.kind}` === b))
      .map((g) => ['overfit', `PBO of ${g.split('/')[0]}'s ${g.endsWith('selection') ? 'per-regime winners' : 'regime weights'}`]);
    expect(shown).toEqual([['no_trades', 'dormant'], ['flicker', 'jumpy (train)'], ['flicker', 'jumpy (test)'], ...over]);
  });

  it('draws what a workspace has when its later phases have not run', async () => {
    const partial = `${ws.base}-phase1`;
    cpSync(ws.base, partial, { recursive: true });
    const p = workspacePaths(partial);
    for (const f of [p.analysis, p.validationResults, p.validationEquity, p.report, p.checkpoint('regime_analysis'), p.checkpoint('ensemble_optimization'), p.checkpoint('validation')]) rmSync(f, { recursive: true, force: true });
    const r = await writeReport(partial);
    const o = await openReport(browser, r.path);
    try {
      expect(o.errors).toEqual([]);
      expect(await o.page.$$eval('[data-section]', (ss) => ss.map((x) => x.getAttribute('data-section')))).toEqual(['header', 'warnings', 'surface', 'regimes']);
      // phase 1's trial files stand in for the surface file
      expect(await o.page.$$eval('[data-chart="surface"][data-strategy="trend"] g.cell rect, [data-chart="surface"][data-strategy="trend"] g.unranked-cell rect', (rs) => rs.length)).toBe(6);
    } finally {
      await o.page.close();
    }
  });

  it('still draws a workspace written before analysis/overfitting.json existed, without that section', async () => {
    const old = `${ws.base}-before-pbo`;
    cpSync(ws.base, old, { recursive: true });
    rmSync(workspacePaths(old).overfitting);
    const r = await writeReport(old);
    const o = await openReport(browser, r.path);
    try {
      expect(o.errors).toEqual([]);
      expect(await o.page.$$eval('[data-section]', (ss) => ss.map((x) => x.getAttribute('data-section')))).toEqual(['header', 'warnings', 'validation', 'winners', 'surface', 'ensemble', 'regimes', 'trades']);
      expect(r.warnings.some((w) => w.code === 'overfit')).toBe(false);
    } finally {
      await o.page.close();
    }
  });

  it('writes the same bytes for the same workspace, and a screenshot for people to look at', async () => {
    const again = await writeReport(ws.base, { out: `${ws.base}/again.html` });
    expect(readFileSync(again.path)).toEqual(readFileSync(written.path));
    // for people to look at: packages/report/test-output/report.png (not committed)
    mkdirSync(fileURLToPath(new URL('../test-output/', import.meta.url)), { recursive: true });
    await page.evaluate('scrollTo(0, 0)');
    await page.screenshot({ path: SCREENSHOT });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(20_000);
  });
});
