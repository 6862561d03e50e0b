import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeData, makeVector, TimestampMillisecond, type Data } from 'apache-arrow';
import { formatError, workspacePaths, writeFileAtomic } from '@regimen/core';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import { readArrowTable, readSignalEvents, tableOf, writeArrowTable } from '@regimen/data';
import { runWorkflow } from './run.js';
import { analysisFiles as results, smallWorkflow } from './test-fixtures.js';

const DAY = 86_400_000;

/**
 * Rewrites a trial's signal file in the first layout (bar Int32, time Timestamp(ms), position
 * Float64, no `layout` key), as versions before the `gaps` layout wrote it. The reader does not
 * use `time` (it is for people reading the file); here it is the bar's day from 2000-01-01.
 */
function toFirstLayout(path: string): void {
  const s = readSignalEvents(path);
  const ms = BigInt64Array.from(s.events.bar, (b) => BigInt(Date.UTC(2000, 0, 1) + b * DAY));
  const cols: Array<[string, Data]> = [
    ['bar', makeVector(Int32Array.from(s.events.bar)).data[0]!],
    ['time', makeData({ type: new TimestampMillisecond(), length: ms.length, data: ms })],
    ['position', makeVector(Float64Array.from(s.events.position)).data[0]!],
  ];
  writeArrowTable(path, tableOf(cols, new Map([['kind', 'regimen.signal_events'], ['trial_id', s.trial_id], ['window', JSON.stringify(s.window)]])));
}

// the resume runs the pool, which loads the built worker (dist/); a failure under CI=true when missing
const built = !requireOrSkip('the built backtester', builtMissing(new URL('../../backtester/dist/worker.js', import.meta.url)));

const signalFiles = (ws: string) => readdirSync(workspacePaths(ws).signals).filter((f) => /^trial_.*\.arrow$/.test(f)).map((f) => join(workspacePaths(ws).signals, f)).sort();

describe('trial signal files of the first layout', () => {
  // one finished run (gaps layout) each test copies and alters
  let dir: string;
  let config: string;
  let ref: string;
  beforeAll(async () => {
    ({ dir, config } = smallWorkflow());
    ref = join(dir, 'ref');
    await runWorkflow(config, { outDir: ref, workers: 0 });
  }, 60_000);
  const copy = (name: string) => {
    const ws = join(dir, name);
    cpSync(ref, ws, { recursive: true });
    return ws;
  };

  it('a workspace written before the gaps layout is read: phases 2–4 give byte-identical analysis files', async () => {
    const ws = copy('first');
    const want = results(ref);
    const files = signalFiles(ws);
    expect(files.length).toBeGreaterThan(0);
    expect(readArrowTable(files[0]!).schema.metadata.get('layout')).toBe('gaps');
    for (const f of files) toFirstLayout(f);
    expect(readArrowTable(files[0]!).schema.fields.map((f) => f.name)).toEqual(['bar', 'time', 'position']);
    for (const f of readdirSync(workspacePaths(ws).analysis)) rmSync(join(workspacePaths(ws).analysis, f));
    const r = await runWorkflow(config, { outDir: ws, workers: 0, fromPhase: 'regime_analysis' });
    expect(r.ran).toEqual(['regime_analysis', 'ensemble_optimization', 'validation']);
    const got = results(ws);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [name, text] of want) expect(got.get(name), name).toBe(text);
  }, 60_000);

  it.skipIf(!built)('a phase 1 interrupted under the first layout resumes: its trials are kept, the rest written in the new layout, results byte-identical', async () => {
    const ws = copy('interrupted');
    const p = workspacePaths(ws);
    // what an older version leaves when stopped mid-phase-1: half the trials, in the first layout
    const files = signalFiles(ws);
    const kept = files.slice(0, Math.ceil(files.length / 2));
    for (const f of kept) toFirstLayout(f);
    for (const f of files.slice(kept.length)) {
      rmSync(f);
      rmSync(join(p.performance, f.slice(p.signals.length + 1).replace(/\.arrow$/, '.json')));
    }
    for (const d of [p.checkpoints, p.analysis]) for (const f of readdirSync(d)) rmSync(join(d, f), { recursive: true });
    const stamp = new Map(kept.map((f) => [f, readFileSync(f).toString('hex')]));
    await runWorkflow(config, { outDir: ws, workers: 2, resume: true });
    for (const f of kept) expect(readFileSync(f).toString('hex'), `${f} was kept, not rerun`).toBe(stamp.get(f));
    for (const f of files.slice(kept.length)) expect(readArrowTable(f).schema.metadata.get('layout')).toBe('gaps');
    const want = results(ref);
    const got = results(ws);
    for (const [name, text] of want) expect(got.get(name), name).toBe(text);
  }, 60_000);

  it('a signal file of an unknown layout stops the phase that reads it with one line naming file, field and value', async () => {
    const ws = copy('unknown');
    for (const f of signalFiles(ws)) {
      const t = readArrowTable(f);
      const md = new Map(t.schema.metadata);
      md.set('layout', 'zigzag');
      writeFileAtomic(f, new Uint8Array(0));
      writeArrowTable(f, tableOf(t.schema.fields.map((x) => [x.name, t.getChild(x.name)!.data[0]!]), md));
    }
    const e = await runWorkflow(config, { outDir: ws, workers: 0, fromPhase: 'ensemble_optimization' }).catch((x: unknown) => x);
    expect(formatError(e)).toMatch(/^error: .*signals\/trial_[\w-]+\.arrow: metadata\.layout = "zigzag": unknown signal file layout/);
    expect(formatError(e).split('\n')).toHaveLength(1);
    expect((e as { code: string }).code).toBe('workspace');
  }, 60_000);
});
