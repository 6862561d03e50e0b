import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { PARETO_FRONTS_FILE, ParetoFrontsSchema, readJsonFile, RegimeOptimalParamsSchema, workspacePaths, type ParetoFronts, type RegimeOptimalParams } from '@regimen/core';
import { join } from 'node:path';
import { launchChromium, openReport, type OpenedReport } from './chromium.js';
import { buildPageData } from './page-data.js';
import { paretoTestWorkspace } from '../test/workspaces.js';
import { readWorkspaceFiles } from './workspace-files.js';
import { writeReport } from './index.js';
import type { ParetoSection } from './model.js';

/** A run with two objectives: its fronts in the page's data and drawn, one scatter per regime, in real headless Chromium. */
let browser: Browser;
let opened: OpenedReport;
let fronts: ParetoFronts;
let optimal: RegimeOptimalParams;
let section: ParetoSection;

beforeAll(async () => {
  const dir = await paretoTestWorkspace();
  const ws = workspacePaths(dir);
  fronts = readJsonFile(join(ws.analysis, PARETO_FRONTS_FILE), ParetoFrontsSchema);
  optimal = readJsonFile(ws.regimeOptimalParams, RegimeOptimalParamsSchema);
  section = buildPageData(readWorkspaceFiles(dir)).sections.find((s): s is ParetoSection => s.kind === 'pareto')!;
  const written = await writeReport(dir);
  browser = await launchChromium();
  opened = await openReport(browser, written.path);
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe('the report with several objectives', () => {
  it('carries every regime\'s front, and its pick is the regime\'s winner', () => {
    expect(section.objectives).toEqual(['sharpe', '-max_drawdown']);
    expect(section.select).toBe('knee');
    let ranked = 0;
    for (const c of section.classifiers) {
      for (const r of c.regimes) {
        for (const x of r.strategies) {
          const file = fronts.classifiers[c.classifier]![r.regime]![x.strategy]!;
          expect(x.points.map((p) => p.trial_id)).toEqual(file.front.map((p) => p.trial_id));
          if (x.winner === null) continue;
          ranked++;
          expect(optimal[c.classifier]![r.regime]![x.strategy]!.trial_id).toBe(x.winner);
          // a front: no member better on both objectives than another
          for (const a of x.points) for (const b of x.points) expect(a.scores[0]! > b.scores[0]! && a.scores[1]! > b.scores[1]!).toBe(false);
        }
      }
    }
    expect(ranked).toBeGreaterThan(0);
  });

  it('draws one scatter per classifier × regime with the picked members ringed, and the table of picks', async () => {
    const page = opened.page;
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
    const regimes = section.classifiers.reduce((a, c) => a + c.regimes.length, 0);
    expect(await page.$$eval('[data-chart="pareto"] svg', (e) => e.length)).toBe(regimes);
    const onFronts = section.classifiers.flatMap((c) => c.regimes.flatMap((r) => r.strategies.flatMap((x) => x.points))).length;
    // every front point once, and a ring per pick
    const picks = section.classifiers.flatMap((c) => c.regimes.flatMap((r) => r.strategies.filter((x) => x.winner !== null))).length;
    expect(await page.$$eval('[data-chart="pareto"] svg circle', (e) => e.length)).toBe(onFronts + picks);
    const rows = await page.$$eval('table[data-table="pareto"] tbody tr', (e) => e.length);
    expect(rows).toBe(section.classifiers.reduce((a, c) => a + c.regimes.reduce((b, r) => b + r.strategies.length, 0), 0));
  });
});
