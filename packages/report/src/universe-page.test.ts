import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readJsonFile, UniverseResultsSchema, UNIVERSE_RUNS, workspacePaths, type UniverseResults } from '@regimen/core';
import { embeddedDataPath, readValidationEquity } from '@regimen/data';
import { runWorkflow } from '@regimen/coordinator';
import { formatMetric } from './format.js';
import { launchChromium, openReport, type OpenedReport } from './chromium.js';
import { writeReport, type WrittenReport } from './index.js';

/**
 * A universe's top page in headless Chromium: every series against every baseline, the sign
 * tests, the equal-weight portfolios' curves, each series' own page linked; checked against the files.
 */
let browser: Browser;
let top: OpenedReport;
let page: Page;
let written: WrittenReport;
let ws: string;
let u: UniverseResults;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regimen-report-universe-'));
  const [head, ...rows] = readFileSync(embeddedDataPath('dowjones30_daily_close.csv'), 'utf8').trim().split('\n');
  writeFileSync(join(dir, 'dow.csv'), [head, ...rows.slice(-700)].join('\n') + '\n');
  writeFileSync(
    join(dir, 'u.yaml'),
    `workflow:
  seed: 3
  data: { path: dow.csv, columns: [AA, KO, MSFT] }
  strategies:
    s1: { type: momentum, parameter_space: { lookback: [10, 20], threshold: [0.01, 0.02] } }
    idle: { type: momentum, parameter_space: { lookback: [10], threshold: [5] } }
  classifiers: { pattern_based: {} }
  phases:
    - name: parameter_discovery
    - name: regime_analysis
      config: { metrics: [sharpe], min_bars: 10 }
    - name: ensemble_optimization
      config: { algorithm: grid }
    - name: validation
      config: { data_split: test }
`,
  );
  ws = join(dir, 'ws');
  await runWorkflow(join(dir, 'u.yaml'), { outDir: ws, workers: 0 });
  u = readJsonFile(workspacePaths(ws).universeResults, UniverseResultsSchema);
  written = await writeReport(ws);
  browser = await launchChromium();
  top = await openReport(browser, written.path);
  page = top.page;
}, 240_000);

afterAll(async () => {
  await browser?.close();
});

describe('a universe\'s report in headless Chromium', () => {
  it('writes the top page and every series\' page, and the top opens with no console error or request', () => {
    expect(top.errors).toEqual([]);
    expect(top.requests).toEqual([]);
    expect(written.path).toBe(workspacePaths(ws).report);
    expect(written.series.map((p) => p.path)).toEqual(['AA', 'KO', 'MSFT'].map((n) => workspacePaths(join(ws, 'series', n)).report));
    for (const p of written.series) expect(statSync(p.path).size).toBe(p.bytes);
  });

  it('groups the series\' warnings by kind, one line each naming the series', async () => {
    // `idle` never trades (a 500 % threshold) in any series: one line for the three
    const idle = written.warnings.filter((w) => w.code === 'no_trades');
    expect(idle).toHaveLength(1);
    expect(idle[0]!.subject).toBe('3 of 3 series');
    expect(idle[0]!.series).toEqual(['AA', 'KO', 'MSFT']);
    expect(idle[0]!.message).toContain('AA (idle), KO (idle), MSFT (idle)');
    expect(new Set(written.warnings.map((w) => w.code)).size).toBe(written.warnings.length);
    const shown = await page.$$eval('[data-section="warnings"] li', (lis) => lis.map((li) => li.getAttribute('data-warning')));
    expect(shown).toEqual(written.warnings.map((w) => w.code));
  });

  it('lists every series out of sample for the adaptive strategy and each baseline, linking its page', async () => {
    expect(await page.$$eval('[data-section]', (ss) => ss.map((x) => x.getAttribute('data-section')))).toEqual(['warnings', 'universe']);
    for (const metric of ['sharpe', 'max_drawdown'] as const) {
      await page.selectOption('select[name="universe-metric"]', metric);
      const rows = await page.$$eval('[data-table="series"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-series'), ...[...tr.querySelectorAll('td')].map((td) => td.textContent)]));
      expect(rows).toEqual(u.series.map((s) => [s.name, `${s.first} → ${s.last}`, formatMetric('bars', s.bars), ...UNIVERSE_RUNS.map((run) => formatMetric(metric, s.metrics[run][metric])), s.name]));
    }
    // relative links, so the workspace can be moved whole
    const hrefs = await page.$$eval('a[data-link="series"]', (as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(['AA', 'KO', 'MSFT'].map((n) => `series/${n}/report.html`));
  });

  it('shows the sign tests of the file', async () => {
    const rows = await page.$$eval('[data-table="sign-tests"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-baseline'), ...[...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-value'))]));
    expect(rows).toEqual((['best_static', 'equal_weights', 'buy_and_hold'] as const).map((b) => {
      const c = u.comparisons[b];
      return [b, String(c.wins), String(c.losses), String(c.ties), c.p_value === null ? '' : String(c.p_value)];
    }));
  });

  it('draws the equal-weight portfolios\' equity, exactly the file\'s values, and their metrics', async () => {
    const p = u.portfolio!;
    const eq = readValidationEquity(resolve(ws, p.equity_file));
    const c = await page.evaluate(() => {
      const chart = (globalThis as unknown as { regimenCharts: Map<string, { series: Array<{ label: string }>; data: number[][] }> }).regimenCharts.get('universe-equity')!;
      return { labels: chart.series.slice(1).map((s) => s.label), data: chart.data.map((d) => Array.from(d)) };
    });
    expect(c.labels).toEqual(['adaptive', 'best static', 'equal weights', 'buy and hold']);
    expect(eq.time.length).toBe(p.bars);
    expect(c.data[0]).toEqual(Array.from(eq.time, (t) => t / 1000));
    UNIVERSE_RUNS.forEach((run, k) => expect(c.data[k + 1]).toEqual(Array.from(eq.equity[run]!)));
    const metrics = await page.$$eval('[data-table="portfolio-metrics"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.getAttribute('title'))));
    expect(metrics).toEqual(UNIVERSE_RUNS.map((run) => ['sharpe', 'sortino', 'max_drawdown', 'total_return', 'cagr', 'volatility'].map((m) => String(p.metrics[run][m as 'sharpe']))));
  });
});
