import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { formatError, workspacePaths } from '@regimen/core';
import { runWorkflow } from './run.js';
import { smallWorkflow } from './test-fixtures.js';

// The injected failing writer (a full disk): from the `after`-th write of a file whose name
// matches `target`, writeSync throws ENOSPC. Everything else is the real node:fs. Trials run in
// this thread (workers: 0), so the mock reaches the trial files' writes too.
let failing: { target: RegExp; after: number } | null = null;
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const paths = new Map<number, string>();
  return {
    ...real,
    openSync: (p: string, ...rest: never[]) => {
      const fd = (real.openSync as (...a: unknown[]) => number)(p, ...rest);
      paths.set(fd, String(p));
      return fd;
    },
    writeSync: (fd: number, ...rest: never[]) => {
      if (failing && failing.target.test(paths.get(fd) ?? '') && --failing.after <= 0) {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
      }
      return (real.writeSync as (...a: unknown[]) => number)(fd, ...rest);
    },
  };
});
afterEach(() => {
  failing = null;
});

/** Every `.tmp` under `dir`, whoever's: a failed write's own temp file has this process's pid. */
const tmpNames = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp')).sort();

const analysis = (ws: string) => {
  const p = workspacePaths(ws);
  return Object.fromEntries([...readdirSync(p.analysis).filter((f) => f.endsWith('.json')).map((f) => [f, readFileSync(join(p.analysis, f), 'utf8')]), ['validation_results.json', readFileSync(p.validationResults, 'utf8')]]);
};

describe('a full disk in the middle of a run', () => {
  it('stops it naming the file, leaves no temp file, and the resume sweeps killed writes and ends byte-identical', async () => {
    const { dir, config } = smallWorkflow();
    const ref = join(dir, 'reference');
    await runWorkflow(config, { outDir: ref, workers: 0 });

    const ws = join(dir, 'ws');
    // phase 1: a trial's signals file (written the way the workers write them)
    failing = { target: /[/]\.trial_.*\.arrow\./, after: 3 };
    const e1 = await runWorkflow(config, { outDir: ws, workers: 0 }).catch((e: unknown) => e);
    expect(formatError(e1)).toMatch(/^error: ENOSPC: no space left on device, writing signals\/trial_[\w-]+\.arrow \(finished work is kept: free space, then resume\)$/);
    expect((e1 as { code: string }).code).toBe('unavailable');
    expect(tmpNames(ws)).toEqual([]);

    // phase 3: an ensemble trial
    failing = { target: /ensemble_trial_/, after: 2 };
    const e3 = await runWorkflow(config, { outDir: ws, workers: 0, resume: true }).catch((e: unknown) => e);
    expect(formatError(e3)).toMatch(/^error: ENOSPC: no space left on device, writing performance\/ensemble_trial_hmm-[0-9a-f]{8}\.json /);
    expect(tmpNames(ws)).toEqual([]);

    // what a SIGKILL mid-write leaves (pids of runs long gone), beside a user's own .tmp file
    failing = null;
    const p = workspacePaths(ws);
    const killed = ['signals/.trial_strategy_1-deadbeef.arrow.31337.tmp', 'metadata/.config.yaml.31337.tmp', 'performance/.ensemble_trial_hmm-00000000.json.4242.0badf00d.tmp'];
    for (const f of killed) writeFileSync(join(ws, f), 'cut');
    writeFileSync(join(p.analysis, '.draft.tmp'), 'keep me');
    const said: string[] = [];
    const done = await runWorkflow(config, { outDir: ws, workers: 0, resume: true, onEvent: (e) => e.type === 'info' && said.push(e.message) });
    expect(said).toContain('removed 3 temp files left by failed or killed writes');
    expect(tmpNames(ws)).toEqual(['analysis/.draft.tmp']);
    expect(done.skipped).toEqual(['parameter_discovery', 'regime_analysis']);
    const a = analysis(ref);
    const b = analysis(ws);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const [name, text] of Object.entries(a)) expect(b[name], name).toBe(text);
  }, 60_000);
});

// A real full disk where the machine lets us make one (root on Linux): a 100 KiB tmpfs fills up
// while the pool's worker threads write trial files, which no injected writer reaches.
const root = process.getuid?.() === 0 && process.platform === 'linux';
describe.skipIf(!root)('a really full disk (tmpfs), with worker threads', () => {
  const mounts: string[] = [];
  afterAll(() => {
    for (const m of mounts) execFileSync('umount', [m]);
  });
  it('stops the run naming the file, and after the disk grows the resume ends byte-identical', async () => {
    const { dir, config } = smallWorkflow();
    const ref = join(dir, 'reference');
    await runWorkflow(config, { outDir: ref, workers: 1 });
    const mnt = join(dir, 'disk');
    mkdirSync(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=100k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      return; // a container without the mount capability: the injected writer above stands
    }
    mounts.push(mnt);
    const ws = join(mnt, 'ws');
    const e = await runWorkflow(config, { outDir: ws, workers: 1 }).catch((x: unknown) => x);
    expect(formatError(e)).toMatch(/^error: ENOSPC: no space left on device, writing (signals|performance)\/trial_[\w-]+\.(arrow|json) \(finished work is kept: free space, then resume\)$/);
    expect(tmpNames(ws)).toEqual([]);
    execFileSync('mount', ['-o', 'remount,size=64m', mnt]);
    await runWorkflow(config, { outDir: ws, workers: 1, resume: true });
    const a = analysis(ref);
    const b = analysis(ws);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const [name, text] of Object.entries(a)) expect(b[name], name).toBe(text);
  }, 60_000);
});
