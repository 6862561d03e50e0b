import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  ManifestSchema,
  OverfittingSchema,
  readJsonFile,
  WalkForwardOverfittingSchema,
  WalkForwardResultsSchema,
  workspacePaths,
  type Overfitting,
  type WalkForwardOverfitting,
  type WalkForwardResults,
} from '@regimen/core';
import { readValidationEquity } from '@regimen/data';
import { formatMetric } from './format.js';
import { launchChromium, openReport, type OpenedReport } from './chromium.js';
import { walkForwardTestWorkspace } from '../test/workspaces.js';
import { writeReport, type WrittenReport } from './index.js';

/**
 * A walk-forward's pages in headless Chromium: the top page (folds, stitched curves, parameter
 * stability, PBO per fold) and each fold's own page, linked both ways, checked against the files.
 */
const SCREENSHOT = fileURLToPath(new URL('../test-output/walk-forward.png', import.meta.url));
const RUNS = ['adaptive', 'best_static', 'equal_weights', 'buy_and_hold'] as const;

let browser: Browser;
let top: OpenedReport;
let page: Page;
let written: WrittenReport;
let ws: ReturnType<typeof workspacePaths>;
let r: WalkForwardResults;
let o: WalkForwardOverfitting;

beforeAll(async () => {
  const dir = await walkForwardTestWorkspace();
  ws = workspacePaths(dir);
  r = readJsonFile(ws.walkForwardResults, WalkForwardResultsSchema);
  o = readJsonFile(ws.overfitting, WalkForwardOverfittingSchema);
  written = await writeReport(dir);
  browser = await launchChromium();
  top = await openReport(browser, written.path);
  page = top.page;
}, 240_000);

afterAll(async () => {
  await browser?.close();
});

/** the mean PBO of a fold's entries of one kind and classifier that have one (the report's column) */
const groupMean = (f: Overfitting, kind: string, classifier: string) => meanOf(f.entries.filter((e) => e.kind === kind && e.classifier === classifier).map((e) => e.result?.pbo ?? null));
const meanOf = (xs: Array<number | null>) => {
  const ok = xs.filter((x): x is number => x !== null);
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : null;
};

describe('a walk-forward\'s report in headless Chromium', () => {
  it('writes the top page and every fold\'s page, and the top opens with no console error or request', () => {
    expect(top.errors).toEqual([]);
    expect(top.requests).toEqual([]);
    expect(written.folds.map((f) => f.path)).toEqual([0, 1, 2].map((k) => workspacePaths(ws.fold(k)).report));
    for (const f of written.folds) expect(statSync(f.path).size).toBe(f.bytes);
  });

  it('shows the walk-forward\'s sections, not a single split\'s', async () => {
    const sections = await page.$$eval('[data-section]', (ss) => ss.map((x) => x.getAttribute('data-section')));
    expect(sections).toEqual(['header', 'warnings', 'walk_forward', 'stability', 'fold_pbo']);
    const plan = readJsonFile(ws.manifest, ManifestSchema).folds!;
    expect(await page.$$eval('[data-table="fold-plan"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-fold')))).toEqual(plan.map((f) => String(f.index)));
  });

  it('lists every fold\'s windows, out-of-sample metrics of the adaptive strategy and each baseline, and its PBO', async () => {
    for (const metric of ['sharpe', 'total_return'] as const) {
      await page.selectOption('select[name="wf-metric"]', metric);
      const rows = await page.$$eval('[data-table="folds"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-fold'), ...[...tr.querySelectorAll('td')].map((td) => td.textContent)]));
      expect(rows).toHaveLength(r.folds.length + 1);
      r.folds.forEach((f, k) => {
        const pbo = o.folds[k]!;
        expect(rows[k]).toEqual([
          String(f.index),
          String(f.index),
          `${f.in_sample.first} → ${f.in_sample.last}`,
          `${f.out_of_sample.first} → ${f.out_of_sample.last}`,
          ...RUNS.map((run) => formatMetric(metric, f.out_of_sample[run][metric])),
          formatMetric('cagr', f.in_sample.adaptive.cagr),
          formatMetric('efficiency', f.walk_forward_efficiency),
          formatMetric('pbo', groupMean(pbo, 'selection', r.classifier)),
          formatMetric('pbo', groupMean(pbo, 'ensemble', r.classifier)),
          'ok',
          `fold ${f.index}`,
        ]);
      });
      // the last row: the folds stitched, with the mean PBO
      const all = rows.at(-1)!;
      expect(all.slice(0, 1)).toEqual(['all']);
      expect(all.slice(3, 7)).toEqual(RUNS.map((run) => formatMetric(metric, r.stitched.metrics[run][metric])));
      expect(all.slice(8, 11)).toEqual([formatMetric('efficiency', r.walk_forward_efficiency), formatMetric('pbo', meanOf(o.folds.map((f) => groupMean(f, 'selection', r.classifier)))), formatMetric('pbo', meanOf(o.folds.map((f) => groupMean(f, 'ensemble', r.classifier))))]);
    }
  });

  it('draws the stitched out-of-sample equity of every run, exactly the file\'s values, with a line where each fold begins', async () => {
    const eq = readValidationEquity(resolve(ws.base, r.stitched.equity_file));
    const c = await page.evaluate(() => {
      const u = (globalThis as unknown as { regimenCharts: Map<string, { series: Array<{ label: string }>; data: number[][] }> }).regimenCharts.get('wf-equity')!;
      return { labels: u.series.slice(1).map((s) => s.label), data: u.data.map((d) => Array.from(d)) };
    });
    expect(c.labels).toEqual(['adaptive', 'best static', 'equal weights', 'buy and hold']);
    // 897 bars: drawn whole
    expect(eq.time.length).toBe(r.stitched.bars);
    expect(c.data[0]).toEqual(Array.from(eq.time, (t) => t / 1000));
    RUNS.forEach((run, k) => expect(c.data[k + 1]).toEqual(Array.from(eq.equity[run]!)));
    expect(await page.$eval('[data-chart="wf-equity"]', (e) => e.getAttribute('data-boundaries'))).toBe(String(r.folds.length));
    expect(await page.$eval('[data-chart="wf-drawdown"]', (e) => e.getAttribute('data-series'))).toBe('4');
    const stitched = await page.$$eval('[data-table="stitched-metrics"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.getAttribute('title'))));
    expect(stitched).toEqual(RUNS.map((run) => ['sharpe', 'sortino', 'max_drawdown', 'total_return', 'cagr', 'volatility', 'trades', 'exposure'].map((m) => String(r.stitched.metrics[run][m as 'sharpe']))));
  });

  it('shows how every regime\'s winner moved across the folds', async () => {
    for (const [classifier, regimes] of Object.entries(r.parameter_stability)) {
      const rows = await page.$$eval(`[data-table="stability"][data-classifier="${classifier}"] tbody tr`, (trs) =>
        trs.map((tr) => [tr.getAttribute('data-regime'), tr.getAttribute('data-strategy'), [...tr.querySelectorAll('td.num')].map((td) => td.getAttribute('title')), [...tr.querySelectorAll('td[data-winner]')].map((td) => td.getAttribute('data-winner'))]),
      );
      const expected = Object.entries(regimes).flatMap(([regime, byStrategy]) =>
        Object.entries(byStrategy).map(([strategy, s]) => [
          regime,
          strategy,
          [s.folds, s.modal_share, s.repeat_rate, s.mean_step].map((x) => (x === null ? null : String(x))),
          // `side` takes one value in each strategy's space, so it is left out of the winners shown
          s.winners.map((w) => (w ? JSON.stringify(Object.fromEntries(Object.entries(w).filter(([k]) => k !== 'side'))) : '')),
        ]),
      );
      expect(rows).toEqual(expected);
    }
  });

  it('tabulates and plots every fold\'s PBO of each classifier\'s winners and weights and the secondary lines, and the mean', async () => {
    const subjects = await page.$$eval('[data-table="fold-pbo"] thead th[data-subject]', (ths) => ths.map((th) => th.getAttribute('data-subject')));
    expect(subjects).toEqual(['selection/hmm', 'selection/pattern_based', 'ensemble/hmm', 'ensemble/pattern_based', 'strategy/trend', 'strategy/channel', 'all_trials']);
    const rows = await page.$$eval('[data-table="fold-pbo"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td.num')].map((td) => td.getAttribute('data-value'))));
    const cell = (f: Overfitting, key: string) => (key.includes('/') && !key.startsWith('strategy/') ? groupMean(f, key.split('/')[0]!, key.split('/')[1]!) : f.entries.find((e) => e.key === key)?.result?.pbo ?? null);
    const perFold = o.folds.map((f) => subjects.map((key) => cell(f, key!)));
    const mean = subjects.map((_, i) => meanOf(perFold.map((row) => row[i]!)));
    expect(rows).toEqual([...perFold, mean].map((row) => row.map((p) => (p === null ? null : String(p)))));
    const dots = perFold.flat().filter((p) => p !== null).length;
    expect(await page.$$eval('[data-chart="fold-pbo"] g.fold-pbo circle', (cs) => cs.length)).toBe(dots);
  });

  it('warns, as the CLI does, about the folds where the adaptive strategy trails a baseline and every PBO above 0.5', async () => {
    const shown = await page.$$eval('[data-warning]', (ls) => ls.map((l) => [l.getAttribute('data-warning'), l.getAttribute('data-subject')]));
    expect(shown).toEqual(written.warnings.map((w) => [w.code, w.subject]));
    // the same facts, read here from the files
    const trailing = r.folds.filter((f) => RUNS.slice(1).some((b) => f.out_of_sample[b].sharpe > f.out_of_sample.adaptive.sharpe)).map((f) => f.index);
    expect(written.warnings.find((w) => w.code === 'adaptive_trails')?.folds ?? []).toEqual(trailing);
    const over = (f: Overfitting, kind: string, c: string) => f.entries.some((e) => e.kind === kind && e.classifier === c && e.result !== null && e.result.pbo > 0.5);
    const expected = [['selection', 'per-regime winners'], ['ensemble', 'regime weights']]
      .flatMap(([kind, words]) => ['hmm', 'pattern_based'].map((c) => [`PBO of ${c}'s ${words}`, o.folds.flatMap((f, k) => (over(f, kind!, c) ? [k] : []))] as const))
      .filter(([, folds]) => folds.length > 0);
    expect(written.warnings.filter((w) => w.code === 'overfit').map((w) => [w.subject, w.folds])).toEqual(expected);
  });

  it('links each fold\'s page, which opens with no error, says which fold it is and links back', async () => {
    const hrefs = await page.$$eval('[data-table="folds"] a[data-link="fold"]', (as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual([0, 1, 2].map((k) => `folds/fold_${k}/report.html`));
    await page.click('[data-table="folds"] tr[data-fold="1"] a[data-link="fold"]');
    await page.waitForSelector('[data-section="overfitting"]');
    expect(page.url()).toBe(pathToFileURL(workspacePaths(ws.fold(1)).report).href);
    expect(await page.$eval('[data-fold]', (e) => e.getAttribute('data-fold'))).toBe('1');
    expect(await page.$eval('a[data-link="walk-forward"]', (a) => a.getAttribute('href'))).toBe('../../report.html');
    await page.goBack();
    await page.waitForSelector('[data-section="walk_forward"]');
    for (const f of written.folds) {
      const opened = await openReport(browser, f.path);
      try {
        expect(opened.errors).toEqual([]);
        expect(opened.requests).toEqual([]);
        const sections = await opened.page.$$eval('[data-section]', (ss) => ss.map((x) => x.getAttribute('data-section')));
        expect(sections).toEqual(expect.arrayContaining(['header', 'validation', 'winners', 'overfitting', 'surface', 'ensemble', 'regimes', 'trades']));
        // the fold's own overfitting.json, drawn: a histogram bar per non-empty bin, a dot per kept split
        const own = readJsonFile(resolve(dirname(f.path), 'analysis/overfitting.json'), OverfittingSchema);
        const all = own.entries.find((e) => e.key === 'all_trials')!.result!;
        const bins = await opened.page.$$eval('[data-chart="logits"][data-subject="all_trials"] g.logit-bin rect', (rs) => rs.length);
        expect(bins).toBe(all.logits.histogram.counts.length);
        const dots = await opened.page.$$eval('[data-chart="degradation"][data-subject="all_trials"] g.split circle', (cs) => cs.length);
        expect(dots).toBe(all.degradation.sample.length);
      } finally {
        await opened.page.close();
      }
    }
  });

  it('writes the same bytes again for the same walk-forward, top page and every fold\'s', async () => {
    const before = [written.path, ...written.folds.map((f) => f.path)].map((p) => readFileSync(p));
    const again = await writeReport(ws.base);
    expect([again.path, ...again.folds.map((f) => f.path)].map((p) => readFileSync(p))).toEqual(before);
  });

  it('draws a walk-forward stopped before its last fold: the plan, the folds run so far, nothing that looks complete', async () => {
    const partial = `${ws.base}-stopped`;
    cpSync(ws.base, partial, { recursive: true });
    const p = workspacePaths(partial);
    for (const f of [p.walkForwardResults, resolve(partial, r.stitched.equity_file), p.overfitting, p.fold(2), p.report]) rmSync(f, { recursive: true, force: true });
    const w = await writeReport(partial);
    expect(w.folds.map((f) => f.path)).toEqual([0, 1].map((k) => workspacePaths(p.fold(k)).report));
    const opened = await openReport(browser, w.path);
    try {
      expect(opened.errors).toEqual([]);
      const sections = await opened.page.$$eval('[data-section]', (ss) => ss.map((x) => x.getAttribute('data-section')));
      expect(sections.filter((x) => x !== 'warnings')).toEqual(['header']);
      const plan = await opened.page.$$eval('[data-table="fold-plan"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(3).map((td) => td.textContent)));
      expect(plan).toEqual([['ok', 'fold 0'], ['ok', 'fold 1'], ['not validated yet', '—']]);
      const status = await opened.page.$$eval('[data-table="phases"] tbody tr', (trs) => trs.map((tr) => tr.querySelectorAll('td')[1]!.textContent));
      expect(status).toEqual(Array(4).fill('2 of 3 folds'));
    } finally {
      await opened.page.close();
    }
  });

  it('writes a screenshot of the top page for people to look at', async () => {
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.evaluate('scrollTo(0, 0)');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT) && statSync(SCREENSHOT).size).toBeGreaterThan(20_000);
  });
});
