import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isRegimenError, ManifestSchema, PHASES, readJsonFile, UniverseResultsSchema, ValidationResultsSchema, WalkForwardResultsSchema, workspacePaths, type UniverseResults } from '@regimen/core';
import { embeddedDataPath, readValidationEquity } from '@regimen/data';
import { signTest } from '@regimen/optimizer';
import { runWorkflow, type RunResult } from '../run.js';
import { workspaceStatus } from '../summary.js';
import { smallWorkflow } from '../test-fixtures.js';

/** The last `bars` rows of the embedded Dow 30 closes, with only `tickers` (and the date). */
function dowCsv(tickers: string[], bars = 700, rename: Record<string, string> = {}): string {
  const [head, ...rows] = readFileSync(embeddedDataPath('dowjones30_daily_close.csv'), 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const pick = [0, ...tickers.map((t) => cols.indexOf(t))];
  const line = (cells: string[]) => pick.map((i) => cells[i]).join(',');
  return [line(cols.map((c) => rename[c] ?? c)), ...rows.slice(-bars).map((r) => line(r.split(',')))].join('\n') + '\n';
}

const TICKERS = ['AA', 'MSFT', 'KO'];
const universe = (data: string, extra: Parameters<typeof smallWorkflow>[0] = {}) =>
  smallWorkflow({ data, files: { 'dow.csv': dowCsv(TICKERS), 'aa.csv': dowCsv(['AA'], 700, { AA: 'close' }), 'ko.csv': dowCsv(['KO'], 700, { KO: 'close' }) }, ...extra });
const text = (p: string) => readFileSync(p, 'utf8');

describe('a universe of three Dow columns', () => {
  let dir: string;
  let run: RunResult;
  let ws: ReturnType<typeof workspacePaths>;
  let results: UniverseResults;

  beforeAll(async () => {
    const w = universe(`{ path: dow.csv, columns: [${TICKERS.join(', ')}], split: { train_fraction: 0.7 } }`);
    dir = w.dir;
    run = await runWorkflow(w.config, { outDir: join(dir, 'ws'), workers: 0 });
    ws = workspacePaths(join(dir, 'ws'));
    results = readJsonFile(ws.universeResults, UniverseResultsSchema);
  });

  it('runs each series as a workflow of its own in series/<name>/, today\'s layout', () => {
    expect(run.ran).toEqual([...PHASES]);
    const top = readJsonFile(ws.manifest, ManifestSchema);
    expect(top.universe!.series.map((s) => [s.name, s.workspace, s.column])).toEqual(TICKERS.map((t) => [t, join('series', t), t]));
    TICKERS.forEach((t, i) => {
      const s = workspacePaths(ws.seriesDir(t));
      expect(readJsonFile(s.manifest, ManifestSchema).series).toEqual({ name: t, index: i, of: 3, workspace: ws.base });
      expect(readJsonFile(s.validationResults, ValidationResultsSchema).bars).toBe(results.series[i]!.bars);
      expect(text(s.configCopy)).toContain(`column: ${t}`);
    });
    expect(workspaceStatus(ws.base).series!.map((s) => [s.name, s.started, s.phases.every((p) => p.checkpoint !== null)])).toEqual(TICKERS.map((t) => [t, true, true]));
  });

  it('a series gives the very files a workflow of that one column gives', async () => {
    const one = universe('{ path: dow.csv, column: MSFT, split: { train_fraction: 0.7 } }');
    await runWorkflow(one.config, { outDir: join(one.dir, 'ws'), workers: 0 });
    const alone = workspacePaths(join(one.dir, 'ws'));
    const series = workspacePaths(ws.seriesDir('MSFT'));
    for (const f of ['validationResults', 'regimeOptimalParams', 'ensembleWeights', 'overfitting'] as const) expect(text(series[f]), f).toBe(text(alone[f]));
  });

  it('a series folder works alone: running it again finds every phase done', async () => {
    const again = await runWorkflow(ws.seriesDir('KO'), { workers: 0 });
    expect(again.ran).toEqual([]);
    expect(again.skipped).toEqual([...PHASES]);
  });

  it('counts wins of the adaptive strategy over each baseline by the objective, with the sign test', () => {
    expect(results.series.map((s) => s.name)).toEqual(TICKERS);
    for (const s of results.series) {
      const v = readJsonFile(workspacePaths(join(ws.base, s.workspace)).validationResults, ValidationResultsSchema);
      expect(s.metrics.adaptive).toEqual(v.adaptive.metrics);
      expect(s.metrics.buy_and_hold).toEqual(v.baselines.buy_and_hold.metrics);
      expect(s.scores.adaptive).toBe(v.adaptive.metrics.sharpe); // objective sharpe
    }
    for (const b of ['best_static', 'equal_weights', 'buy_and_hold'] as const) {
      const wins = results.series.filter((s) => s.metrics.adaptive.sharpe > s.metrics[b].sharpe).length;
      const losses = results.series.filter((s) => s.metrics.adaptive.sharpe < s.metrics[b].sharpe).length;
      expect(results.comparisons[b]).toEqual(signTest(wins, losses, 3 - wins - losses));
    }
  });

  it('equal-weight portfolios: the mean of the series\' returns at every shared bar', () => {
    const p = results.portfolio!;
    const curves = TICKERS.map((t) => readValidationEquity(workspacePaths(ws.seriesDir(t)).validationEquity));
    expect(p.bars).toBe(curves[0]!.time.length);
    const file = readValidationEquity(join(ws.base, p.equity_file));
    for (const run of ['adaptive', 'best_static', 'equal_weights', 'buy_and_hold'] as const) {
      let e = 1;
      for (let j = 1; j < p.bars; j++) {
        const mean = curves.reduce((a, c) => a + c.equity[run]![j]! / c.equity[run]![j - 1]! - 1, 0) / curves.length;
        e *= 1 + mean;
        expect(file.equity[run]![j]).toBeCloseTo(e, 12);
      }
      expect(p.metrics[run].total_return).toBeCloseTo(e - 1, 12);
    }
  });

  it('a universe of files gives each file\'s series the same results as the column it holds', async () => {
    const w = universe('{ paths: { alcoa: aa.csv, coke: ko.csv }, split: { train_fraction: 0.7 } }');
    const r = await runWorkflow(w.config, { outDir: join(w.dir, 'ws'), workers: 0 });
    const rows = r.summary.universe!.series;
    expect(rows.map((s) => [s.name, s.column])).toEqual([['alcoa', 'close'], ['coke', 'close']]);
    expect(rows[0]!.metrics).toEqual(results.series[0]!.metrics);
    expect(rows[1]!.metrics).toEqual(results.series[2]!.metrics);
  });
});

// the pool loads the built worker (dist/), which `npm ci` makes
const built = existsSync(new URL('../../../backtester/dist/worker.js', import.meta.url));

describe('a universe resumes series by series', () => {
  it('stopped after its first series, resumes the rest: byte-identical to a run of both series at once on 2 workers', async () => {
    const w = universe(`{ path: dow.csv, columns: [AA, KO], split: { train_fraction: 0.7 } }`);
    await runWorkflow(w.config, { outDir: join(w.dir, 'full'), workers: built ? 2 : 0 });
    const stop = new AbortController();
    const interrupted = runWorkflow(w.config, {
      outDir: join(w.dir, 'ws'), workers: 0, seriesInFlight: 1, signal: stop.signal,
      onEvent: (e) => e.type === 'phase-done' && e.series === 'AA' && e.phase === 'validation' && stop.abort(),
    });
    await expect(interrupted).rejects.toSatisfy((e) => isRegimenError(e) && e.code === 'interrupted');
    const ws = workspacePaths(join(w.dir, 'ws'));
    expect(existsSync(ws.universeResults)).toBe(false);
    expect(workspaceStatus(ws.base).series!.map((s) => s.started)).toEqual([true, false]);
    const skipped: string[] = [];
    await runWorkflow(w.config, { outDir: ws.base, workers: 0, resume: true, onEvent: (e) => e.type === 'phase-skip' && skipped.push(`${e.series}:${e.phase}`) });
    expect(skipped).toEqual(PHASES.map((p) => `AA:${p}`));
    const full = workspacePaths(join(w.dir, 'full'));
    expect(text(ws.universeResults)).toBe(text(full.universeResults));
    expect(readFileSync(ws.universeEquity)).toEqual(readFileSync(full.universeEquity));
  });
});

describe('a universe of walk-forwards (series × folds)', () => {
  it('runs every fold of every series and compares their stitched out-of-sample results; stopped between folds, resumes to the same files', async () => {
    const w = universe(`{ path: dow.csv, columns: [AA, KO] }`);
    // the fixture's phases, validated by two rolling folds
    writeFileSync(w.config, text(w.config).replace('config: { data_split: test, verify_transitions: true }', 'config: { data_split: test, method: walk_forward, folds: 2, scheme: rolling, in_sample: 300 }'));
    const r = await runWorkflow(w.config, { outDir: join(w.dir, 'ws'), workers: 0 });
    const u = r.summary.universe!;
    expect(u.method).toBe('walk_forward');
    const ws = workspacePaths(join(w.dir, 'ws'));
    for (const [i, t] of ['AA', 'KO'].entries()) {
      const s = workspacePaths(ws.seriesDir(t));
      expect(existsSync(workspacePaths(s.fold(1)).validationResults)).toBe(true);
      const wf = readJsonFile(s.walkForwardResults, WalkForwardResultsSchema);
      expect(u.series[i]!.bars).toBe(wf.stitched.bars);
      expect(u.series[i]!.metrics).toEqual(wf.stitched.metrics);
    }
    expect(u.portfolio!.bars).toBe(u.series[0]!.bars);

    // stopped between two folds of a series, resumed: the same files as the run straight through
    const stop = new AbortController();
    const interrupted = runWorkflow(w.config, {
      outDir: join(w.dir, 'stopped'), workers: 0, seriesInFlight: 1, signal: stop.signal,
      onEvent: (e) => e.type === 'phase-done' && e.series === 'KO' && e.phase === 'validation' && e.fold === 0 && stop.abort(),
    });
    await expect(interrupted).rejects.toSatisfy((e) => isRegimenError(e) && e.code === 'interrupted');
    const stopped = workspacePaths(join(w.dir, 'stopped'));
    const ko = workspacePaths(stopped.seriesDir('KO'));
    expect([existsSync(workspacePaths(ko.fold(0)).validationResults), existsSync(workspacePaths(ko.fold(1)).validationResults)]).toEqual([true, false]);
    expect(existsSync(stopped.universeResults)).toBe(false);
    await runWorkflow(w.config, { outDir: stopped.base, workers: 0, resume: true });
    expect(text(stopped.universeResults)).toBe(text(ws.universeResults));
    for (const t of ['AA', 'KO']) {
      const [a, b] = [workspacePaths(stopped.seriesDir(t)), workspacePaths(ws.seriesDir(t))];
      expect(text(a.walkForwardResults)).toBe(text(b.walkForwardResults));
      for (const k of [0, 1]) expect(text(workspacePaths(a.fold(k)).validationTrades)).toBe(text(workspacePaths(b.fold(k)).validationTrades));
    }
  });
});
