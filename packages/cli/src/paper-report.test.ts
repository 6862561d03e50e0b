import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperLineSchema, workspacePaths, type PaperFillLine, type PaperOpenLine } from '@regimen/core';
import { readValidationEquity } from '@regimen/data';
import { buildPageData, launchChromium, openReport, readWorkspaceFiles, type OpenedReport, type PaperSection } from '@regimen/report';
import type { Browser } from 'playwright-core';
import { paperWorkspace } from '@regimen/live';
import { cli } from '../test/harness.js';

/** `regimen report` of a paper-traded workspace: the paper segment after the validation split, in headless Chromium. */
describe('the report of a workspace with a paper ledger', () => {
  let ws: string;
  let open: PaperOpenLine;
  let fills: PaperFillLine[];
  let browser: Browser | undefined;
  let opened: OpenedReport;
  beforeAll(async () => {
    const fx = await paperWorkspace();
    ws = fx.ws;
    for (const k of [5, 40]) expect((await cli('paper', ws, '--data', fx.later(k))).code).toBe(0);
    const lines = readFileSync(join(ws, 'live', 'paper.jsonl'), 'utf8').trim().split('\n').map((l) => PaperLineSchema.parse(JSON.parse(l)));
    open = lines.find((l): l is PaperOpenLine => l.type === 'open')!;
    fills = lines.filter((l): l is PaperFillLine => l.type === 'fill');
    const r = await cli('report', ws);
    expect(r.code, r.err).toBe(0);
    browser = await launchChromium();
    opened = await openReport(browser, workspacePaths(ws).report);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('continues the validation equity with the ledger, and buy-and-hold with the prices', () => {
    const s = buildPageData(readWorkspaceFiles(ws)).sections.find((x): x is PaperSection => x.kind === 'paper')!;
    expect(s).toBeDefined();
    const eq = readValidationEquity(workspacePaths(ws).validationEquity);
    const n = eq.time.length;
    expect(s.bars).toBe(40);
    expect(s.equity.reduced).toBe(false);
    expect(s.equity.x).toHaveLength(n + 40);
    expect(s.split).toBe(eq.time[n - 1]);
    const adaptive = eq.equity.adaptive!;
    expect(s.equity.ys[0]!.slice(0, n)).toEqual(Array.from(adaptive));
    expect(s.equity.ys[0]!.slice(n)).toEqual(fills.map((f) => adaptive[n - 1]! * f.equity));
    const hold = eq.equity.buy_and_hold!;
    expect(s.equity.ys[1]!.at(-1)).toBeCloseTo(hold[n - 1]! * (fills.at(-1)!.close / open.close), 12);
    expect(s.summary[0]).toMatchObject({ key: 'paper', total_return: fills.at(-1)!.equity - 1, trades: fills.filter((f) => f.trade !== 0).length });
    // the regimes behind the paper bars are the ledger's
    expect(s.bands).not.toBeNull();
    const lastBand = s.bands!.label.at(-1)!;
    expect(s.bands!.names[lastBand]).toBe(fills.at(-1)!.regime);
    expect(s.fills.equity).toEqual(fills.map((f) => f.equity));
  });

  it('draws the paper segment with its regime bands and the split line, without an error', async () => {
    const page = opened.page;
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
    const chart = await page.evaluate(() => {
      const u = (globalThis as unknown as { regimenCharts: Map<string, { series: Array<{ label: string }>; data: number[][] }> }).regimenCharts.get('paper-equity')!;
      return { labels: u.series.slice(1).map((x) => x.label), last: u.data.map((d) => d[d.length - 1]) };
    });
    expect(chart.labels).toEqual(['adaptive → paper', 'buy and hold']);
    expect(chart.last[0]).toBe(Date.parse(fills.at(-1)!.time) / 1000);
    const box = await page.$eval('[data-chart="paper-equity"]', (e) => ({ bands: Number(e.getAttribute('data-bands')), split: e.getAttribute('data-split') }));
    expect(box.bands).toBeGreaterThan(0);
    expect(box.split).toBe('1');
    expect(await page.$$eval('[data-table="paper-summary"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-run')))).toEqual(['paper', 'buy_and_hold']);
    const fillRows = await page.$$eval('table', (ts) => ts.length);
    expect(fillRows).toBeGreaterThan(2);
  });

  it('a walk-forward\'s page continues the stitched out-of-sample curves with the ledger, with the latest fold\'s regimes', async () => {
    const wf = await paperWorkspace({ walkForward: true });
    // decided by `regimen signal` only: the section says how to book the decisions
    expect((await cli('signal', wf.ws, '--data', wf.later(12))).code).toBe(0);
    const pending = buildPageData(readWorkspaceFiles(wf.ws)).sections.find((x) => x.kind === 'paper_pending');
    expect(pending).toMatchObject({ kind: 'paper_pending', decisions: 12 });
    // `regimen paper` books them all (nothing new to decide): the paper segment is drawn
    const booked = await cli('paper', wf.ws, '--data', wf.later(12), '--json');
    expect(booked.code, booked.err).toBe(0);
    expect(JSON.parse(booked.out).booked).toHaveLength(12);
    const files = readWorkspaceFiles(wf.ws);
    expect(buildPageData(files).sections.some((x) => x.kind === 'paper_pending')).toBe(false);
    const s = buildPageData(files).sections.find((x): x is PaperSection => x.kind === 'paper')!;
    expect(s).toBeDefined();
    const stitched = files.walkForward!.equity!;
    const n = stitched.time.length;
    expect(s.equity.x).toHaveLength(n + 12);
    expect(s.equity.ys[0]!.slice(0, n)).toEqual(Array.from(stitched.equity.adaptive!));
    expect(s.bands!.names.length).toBeGreaterThan(0);
    expect(s.bands!.label.at(-1)).toBeGreaterThanOrEqual(0);
  }, 180_000);
});
