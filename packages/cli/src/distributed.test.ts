import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import { workspacePaths } from '@regimen/core';
import { dowUniverseWorkflow, installLevelClassifier, runWorkflow, smallWorkflow, type DistributedExecutors } from '@regimen/coordinator';
import { redisExecutor, runPlugins, redisServerMissing, startLocalRedis, type LocalRedis } from '@regimen/executor-redis';

// `regimen worker` processes and `regimen run` are the real commands: they need the build `npm ci` makes
const bin = fileURLToPath(new URL('../bin/regimen.js', import.meta.url));
const built = !requireOrSkip('the built cli', builtMissing(new URL('../dist/index.js', import.meta.url)));
const missing = requireOrSkip('redis-server', redisServerMissing()) ? redisServerMissing() : null;
if (missing) console.warn(`skipping distributed tests: ${missing}`);
const seedWorkflow = fileURLToPath(new URL('../../../examples/seed-workflow.yaml', import.meta.url));

/**
 * Every file a run's results are made of (not checkpoints or manifests: they hold times and
 * paths), a walk-forward's folds' included.
 */
function resultFiles(ws: string, out = new Map<string, Buffer>(), prefix = ''): Map<string, Buffer> {
  const p = workspacePaths(ws);
  const walk = (dir: string, rel: string) => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir)) {
      const full = join(dir, f);
      if (statSync(full).isDirectory()) walk(full, `${rel}${f}/`);
      else out.set(`${prefix}${rel}${f}`, readFileSync(full));
    }
  };
  for (const [dir, rel] of [[p.analysis, 'analysis/'], [p.performance, 'performance/'], [p.signals, 'signals/'], [p.classifiers, 'metadata/classifiers/']] as const) walk(dir, rel);
  if (existsSync(p.trials)) out.set(`${prefix}metadata/trials.json`, readFileSync(p.trials));
  for (let k = 0; existsSync(p.fold(k)); k++) resultFiles(p.fold(k), out, `${prefix}folds/fold_${k}/`);
  const series = join(ws, 'series');
  if (existsSync(series)) for (const name of readdirSync(series)) resultFiles(join(series, name), out, `${prefix}series/${name}/`);
  return out;
}

function expectSameFiles(got: string, want: string): void {
  const a = resultFiles(want);
  const b = resultFiles(got);
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  for (const [name, bytes] of a) expect(b.get(name)!.equals(bytes), name).toBe(true);
}

interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnRegimen(args: string[], env?: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env: { ...process.env, ...env } } : {}) });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => text, exited };
}

/** a process's exit, or after `ms` an error saying what did not end and what it printed (not a silent test timeout) */
async function exitOf(what: string, p: Spawned, ms = 120_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not exit within ${ms / 1000} s; its output:\n${p.output()}`)), ms);
  });
  try {
    return await Promise.race([p.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(what: string, ready: () => boolean, ms = 60_000): Promise<void> {
  for (const t0 = Date.now(); !ready(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
  }
}

/** `regimen worker` processes; fast stalled-job recovery so a killed worker's batch returns in seconds. */
async function startWorkers(url: string, count: number, opts: { plugins?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Spawned[]> {
  const plugins = opts.plugins ? ['--plugins', opts.plugins] : [];
  const workers = Array.from({ length: count }, () => spawnRegimen(['worker', '--redis', url, '--concurrency', '1', '--lock-seconds', '2', '--stalled-seconds', '1', ...plugins], opts.env));
  await until('workers to start', () => workers.every((w) => /ready, waiting for runs/.test(w.output())));
  return workers;
}

async function stopWorkers(workers: Spawned[]): Promise<void> {
  for (const w of workers) w.child.kill('SIGTERM');
  const ends = await Promise.all(workers.map((w, i) => exitOf(`worker ${i} after SIGTERM`, w, 60_000).catch((e: unknown) => {
    w.child.kill('SIGKILL');
    throw e;
  })));
  // SIGTERM is a clean stop: exit code 0, not death by signal (a SIGKILLed one says SIGKILL)
  for (const e of ends) if (e.signal !== 'SIGKILL') expect(e).toEqual({ code: 0, signal: null });
}

/** the cli's Redis executor, with every phase-3 replay sent to the workers (the seed's are small) */
const everythingRemote: DistributedExecutors = {
  check: () => {},
  create: (r) => redisExecutor({ ...r, plugins: runPlugins(r.workerPlugins, r.taskPlugins), inlineReplayWork: 0 }),
};

const count = (dir: string, re: RegExp) => (existsSync(dir) ? readdirSync(dir).filter((f) => re.test(f)).length : 0);

/** 2 strategies × 30 lookbacks × 10 thresholds in batches of 4: long enough to break in the middle */
const PHASE1_600_TRIALS = `    - name: parameter_discovery
      config:
        batch_size: 4
        parameter_space: { lookback: { min: 5, max: 150, step: 5 }, threshold: { min: 0.0, max: 0.045, step: 0.005 } }
    - name: regime_analysis
      config: { metrics: [sharpe, max_drawdown], min_bars: 10, pbo_blocks: 8 }
    - name: ensemble_optimization
      config: { algorithm: grid, objective: sharpe }
    - name: validation
      config: { data_split: test }`;

const WALK_FORWARD = `    - name: parameter_discovery
      config:
        parameter_space: { lookback: [10, 30], threshold: [0.005, 0.02] }
    - name: regime_analysis
      config: { metrics: [sharpe, sortino, max_drawdown], min_bars: 10, pbo_blocks: 8 }
    - name: ensemble_optimization
      config: { algorithm: grid, objective: sharpe }
    - name: validation
      config: { data_split: test, method: walk_forward, folds: 3, scheme: rolling, in_sample: 600, gap: 3 }`;

// Both workflows above take 8 PBO blocks (70 CSCV splits, not 12,870): the PBO's tasks still go to the
// workers and analysis/overfitting.json is still compared byte for byte, but it no longer dominates the
// file's time (at 16 blocks it was most of each run).
// each test runs a workflow twice (locally for reference, then distributed): minutes on a loaded machine
const SLOW = 300_000;

describe.skipIf(missing !== null || !built)('distributed runs: regimen worker processes on Redis', () => {
  let redis: LocalRedis;
  /** a phase 1 long enough to break in the middle, and its local run for reference */
  let long: { dir: string; config: string; local: string };
  beforeAll(async () => {
    redis = await startLocalRedis();
    const { dir, config } = smallWorkflow({ bars: 6000, phases: PHASE1_600_TRIALS });
    long = { dir, config, local: join(dir, 'local') };
    await runWorkflow(config, { outDir: long.local, workers: 2 });
  }, SLOW);
  afterAll(async () => {
    await redis?.stop();
  });

  it('runs the seed workflow through 2 workers into the same bytes as the local pool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regimen-seed-'));
    // the seed as written, but for 8 PBO blocks (as the workflows below): its PBO at 16 was most of both runs
    const seed = join(dir, 'seed-workflow.yaml');
    const text = readFileSync(seedWorkflow, 'utf8');
    const metrics = '        metrics: [sharpe, sortino, max_drawdown]\n';
    expect(text).toContain(metrics);
    writeFileSync(seed, text.replace(metrics, `${metrics}        pbo_blocks: 8\n`));
    const local = join(dir, 'local');
    await runWorkflow(seed, { outDir: local, workers: 2 });
    const workers = await startWorkers(redis.url, 2);
    try {
      const info: string[] = [];
      const ws = join(dir, 'distributed');
      await runWorkflow(seed, { outDir: ws, executor: redis.url, executors: everythingRemote, onEvent: (e) => e.type === 'info' && info.push(e.message) });
      expectSameFiles(ws, local);
      expect(info.filter((m) => /^worker \S+ joined/.test(m))).toHaveLength(2);
      // both workers ran trial and replay batches
      const tally = info.find((m) => m.startsWith('batches run by worker:'))!;
      expect(tally.match(/\d+ trial, \d+ replay and \d+ task/g)).toHaveLength(2);
      expect(tally).not.toMatch(/ 0 trial| 0 replay/);
    } finally {
      await stopWorkers(workers);
    }
  }, SLOW);

  it('runs a walk-forward (three folds, each trial scored on every fold in one batch) into the same bytes', async () => {
    const { dir, config } = smallWorkflow({ bars: 1500, phases: WALK_FORWARD });
    const local = join(dir, 'local');
    await runWorkflow(config, { outDir: local, workers: 2 });
    const workers = await startWorkers(redis.url, 2);
    try {
      const ws = join(dir, 'distributed');
      await runWorkflow(config, { outDir: ws, executor: redis.url, executors: everythingRemote });
      const files = [...resultFiles(ws).keys()];
      expect(files).toContain('performance/walk_forward_results.json');
      expect(files.filter((f) => /^folds\/fold_2\/performance\/trial_/.test(f)).length).toBeGreaterThan(0);
      expectSameFiles(ws, local);
    } finally {
      await stopWorkers(workers);
    }
  }, SLOW);

  it('runs a universe (its series several at a time, sharing the workers) into the same bytes', async () => {
    const { dir, config } = dowUniverseWorkflow(['AA', 'KO', 'MSFT'], 699, { phases: WALK_FORWARD.replace('in_sample: 600', 'in_sample: 300') });
    const local = join(dir, 'local');
    await runWorkflow(config, { outDir: local, workers: 2 });
    const workers = await startWorkers(redis.url, 2);
    try {
      const info: string[] = [];
      const ws = join(dir, 'distributed');
      await runWorkflow(config, { outDir: ws, executor: redis.url, executors: everythingRemote, onEvent: (e) => e.type === 'info' && info.push(e.message) });
      const files = [...resultFiles(ws).keys()];
      expect(files).toContain('performance/universe_results.json');
      expect(files.filter((f) => /^series\/MSFT\/folds\/fold_2\/performance\/trial_/.test(f)).length).toBeGreaterThan(0);
      expectSameFiles(ws, local);
      const tally = info.find((m) => m.startsWith('batches run by worker:'))!;
      expect(tally.match(/\d+ trial, \d+ replay and \d+ task/g)).toHaveLength(2);
      // every series' stages left the coordinator: 3 series × 3 folds × (2 classifier fits + 1
      // validation), and the PBO's tasks of each fold beside them
      expect([...tally.matchAll(/(\d+) task/g)].reduce((sum, m) => sum + Number(m[1]), 0)).toBeGreaterThan(27);
    } finally {
      await stopWorkers(workers);
    }
  }, SLOW);

  it('fits a third-party classifier plugin on the workers, which import their own installation of it, into the same bytes', async () => {
    const { dir, config } = dowUniverseWorkflow(['AA', 'KO'], 700);
    writeFileSync(config, readFileSync(config, 'utf8').replace('    pattern_based: {}\n', `    pattern_based: {}\n${installLevelClassifier(dir)}\n`));
    const local = join(dir, 'local');
    await runWorkflow(config, { outDir: local, workers: 2 });
    // where each of the plugin's fits ran: pid:threadId, appended by the plugin (a test side channel)
    const log = join(dir, 'fits.log');
    writeFileSync(log, '');
    const workers = await startWorkers(redis.url, 2, { plugins: dir, env: { REGIMEN_TEST_FIT_LOG: log } });
    try {
      const ws = join(dir, 'distributed');
      await runWorkflow(config, { outDir: ws, executor: redis.url, executors: everythingRemote });
      expectSameFiles(ws, local);
      const pids = readFileSync(log, 'utf8').trim().split('\n').map((l) => Number(l.split(':')[0]));
      // one fit a series, each in a worker process, none in this (the coordinator's)
      expect(pids).toHaveLength(2);
      const workerPids = new Set(workers.map((w) => w.child.pid));
      for (const pid of pids) expect(workerPids.has(pid), `fit in process ${pid}`).toBe(true);
    } finally {
      await stopWorkers(workers);
    }
  }, SLOW);

  it('loses a worker to SIGKILL while it holds a job and still writes identical files', async () => {
    const { dir, config, local } = long;
    const workers = await startWorkers(redis.url, 2);
    const peek = new Redis(redis.url, { lazyConnect: true });
    try {
      const ws = join(dir, 'killed-worker');
      const info: string[] = [];
      const run = runWorkflow(config, { outDir: ws, executor: redis.url, executors: everythingRemote, onEvent: (e) => e.type === 'info' && info.push(e.message) });
      // both workers (concurrency 1 each) hold a job — a trial batch or a stage task — when the run's
      // queue has two active: worker 0 dies with one in hand, whatever the phase
      await peek.connect();
      for (const t0 = Date.now(); ; await new Promise((r) => setTimeout(r, 5))) {
        const keys = await peek.keys('*:active');
        const active = keys.length ? (await Promise.all(keys.map((k) => peek.llen(k)))).reduce((a, b) => a + b, 0) : 0;
        if (active >= 2) break;
        if (Date.now() - t0 > 60_000) throw new Error('timed out waiting for both workers to hold a job');
      }
      workers[0]!.child.kill('SIGKILL');
      await run;
      expect(existsSync(workspacePaths(ws).checkpoint('validation'))).toBe(true);
      expect(info.some((m) => /lost its worker; BullMQ put it back in the queue/.test(m))).toBe(true);
      expectSameFiles(ws, local);
    } finally {
      peek.disconnect();
      await stopWorkers(workers);
    }
  }, SLOW);

  it('stops with one line when Redis restarts empty mid-run, and the run resumes (on the local pool) to the same files', async () => {
    const own = await startLocalRedis();
    const workers = await startWorkers(own.url, 2);
    try {
      const { dir, config, local } = long;
      const ws = join(dir, 'restarted-redis');
      const p = workspacePaths(ws);
      const cmd = spawnRegimen(['run', config, '--out', ws, '--executor', `${own.url}?wait=5`, '--quiet']);
      await until('phase 1 to be under way', () => count(p.performance, /^trial_.*\.json$/) >= 60);
      await own.kill();
      await own.start();
      const end = await exitOf('the coordinator after Redis restarted', cmd);
      expect(end.code).toBe(75);
      const lines = cmd.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: --executor = "redis:\/\/127\.0\.0\.1:\d+": Redis lost this run's queue .*; finished trials are kept — continue with: regimen run \S+ --resume$/);
      expect(existsSync(p.checkpoint('parameter_discovery'))).toBe(false);
      const kept = count(p.performance, /^trial_.*\.json$/);
      expect(kept).toBeGreaterThanOrEqual(60);

      const resumed = await runWorkflow(ws, { resume: true, workers: 2 });
      expect(resumed.ran).toContain('parameter_discovery');
      expectSameFiles(ws, local);
    } finally {
      await stopWorkers(workers);
      await own.stop();
    }
  }, SLOW);

  describe('faults in the middle of a universe', () => {
    /** two series of 600 trials each in batches of 4, and their local run for reference */
    let u: { dir: string; config: string; local: string };
    const trialsOf = (ws: string, series: string) => count(workspacePaths(join(ws, 'series', series)).performance, /^trial_.*\.json$/);
    beforeAll(async () => {
      const { dir, config } = dowUniverseWorkflow(['AA', 'KO'], 1500, { phases: PHASE1_600_TRIALS });
      u = { dir, config, local: join(dir, 'local') };
      await runWorkflow(config, { outDir: u.local, workers: 2 });
    }, SLOW);

    it('a worker SIGKILLed, then the coordinator SIGKILLed and resumed with the same workers: identical files', async () => {
      const workers = await startWorkers(redis.url, 2);
      try {
        const ws = join(u.dir, 'killed');
        const first = spawnRegimen(['run', u.config, '--out', ws, '--executor', redis.url, '--quiet']);
        await until('phase 1 of the first series to be under way', () => trialsOf(ws, 'AA') >= 40);
        workers[0]!.child.kill('SIGKILL');
        await until('more trials after the worker died', () => trialsOf(ws, 'AA') + trialsOf(ws, 'KO') >= 200, 120_000);
        first.child.kill('SIGKILL');
        expect((await exitOf('the killed coordinator', first)).signal).toBe('SIGKILL');
        expect(existsSync(workspacePaths(ws).universeResults)).toBe(false);
        // the same worker that is left serves the resumed run (a killed pid's lock is taken over)
        const resumed = spawnRegimen(['run', ws, '--resume', '--executor', redis.url, '--quiet']);
        const end = await exitOf('the resumed coordinator', resumed, SLOW);
        expect(end.code, resumed.output()).toBe(0);
        expectSameFiles(ws, u.local);
      } finally {
        await stopWorkers(workers);
      }
    }, SLOW * 2);

    it('Redis restarted empty: one line, exit 75, and the universe resumes to the same files', async () => {
      const own = await startLocalRedis();
      const workers = await startWorkers(own.url, 2);
      try {
        const ws = join(u.dir, 'restarted');
        const cmd = spawnRegimen(['run', u.config, '--out', ws, '--executor', `${own.url}?wait=5`, '--quiet']);
        await until('phase 1 to be under way', () => trialsOf(ws, 'AA') + trialsOf(ws, 'KO') >= 60);
        await own.kill();
        await own.start();
        const end = await exitOf('the coordinator after Redis restarted', cmd);
        expect(end.code).toBe(75);
        expect(cmd.output().trim().split('\n')).toHaveLength(1);
        expect(cmd.output()).toMatch(/Redis lost this run's queue .*continue with: regimen run \S+ --resume/);
        await runWorkflow(ws, { resume: true, workers: 2 });
        expectSameFiles(ws, u.local);
      } finally {
        await stopWorkers(workers);
        await own.stop();
      }
    }, SLOW);
  });
});
