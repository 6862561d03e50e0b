import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { isRegimenError, lockWorkspace, regimenError, type BarColumns, type Decision, type JournalLine, type UniverseDecision } from '@regimen/core';
import { advance, type AdvanceResult } from './advance.js';
import { appendJournal } from './journal.js';
import { openLive, universeSeries, type LiveRun } from './open.js';
import { defaultStateDir, writeLiveState } from './state.js';

export interface SignalOptions {
  /** state and journal folder (default <workspace>/live; a universe: <stateDir>/<series>) */
  stateDir?: string;
  asOf?: string;
  /** an opened run (tests, replay), else the workspace is opened */
  run?: LiveRun;
  /** `--webhook`: journal the new decisions as pending delivery to this URL (delivery.ts sends them) */
  webhook?: string;
  /** false: read the data file whole (paper books from its bars), never only its new lines */
  tailRead?: boolean;
  /** work done while the state folder is still locked: paper's booking, the webhook's delivery */
  after?: (r: SignalResult) => Promise<void> | void;
}

export interface SignalResult {
  /** the decision to show (the last bar up to --as-of) */
  decision: Decision;
  /** decisions appended to the journal by this call */
  appended: Decision[];
  stateDir: string;
  /** where the time went: opening the workspace, reading the file, hashing its history, checking journal and gaps, deciding, writing the state */
  seconds: { open: number; load: number; verify: number; check: number; decide: number; state: number };
  /** stepped from the saved memory, or recomputed over the whole history (and why) */
  work: AdvanceResult['work'];
  /** whether only the file's new lines were parsed */
  read: AdvanceResult['read'];
  /** the data file's bars (paper books from them) */
  bars: BarColumns;
}

/**
 * `regimen signal` for one series: advance over the new bars, append their decisions to the
 * journal (durable first), then write the state. --as-of before the last journaled bar only
 * shows a decision (recomputed from bars 0..t) and writes nothing.
 */
export async function signal(workspace: string, dataFile: string, opts: SignalOptions = {}): Promise<SignalResult> {
  const t0 = performance.now();
  const run = opts.run ?? (await openLive(workspace));
  const open = (performance.now() - t0) / 1000;
  const stateDir = resolve(opts.stateDir ?? defaultStateDir(run.root));
  const lock = lockStateDir(stateDir);
  try {
    const r = await signalLocked(run, dataFile, stateDir, open, opts);
    await opts.after?.(r);
    return r;
  } finally {
    lock.release();
  }
}

/**
 * One call at a time per state folder (cron may start the next before the last has finished): a
 * second is refused as temporary (exit 75, try again), a lock left by a killed call is taken over.
 * A folder this call created is removed again if the call fails before writing anything in it.
 */
function lockStateDir(stateDir: string): { release(): void } {
  const created = !existsSync(stateDir);
  mkdirSync(stateDir, { recursive: true });
  let lock;
  try {
    lock = lockWorkspace(stateDir);
  } catch (e) {
    if (isRegimenError(e) && /^another run/.test(e.message)) {
      throw regimenError({ code: 'unavailable', file: e.file, message: e.message.replace('another run', 'another regimen signal').replace('this workspace', 'this state folder') + '; try again when it has finished' });
    }
    throw e;
  }
  return {
    release() {
      lock.release();
      if (created && readdirSync(stateDir).length === 0) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

async function signalLocked(run: LiveRun, dataFile: string, stateDir: string, open: number, opts: SignalOptions): Promise<SignalResult> {
  // each decision is durable in the journal before the next is made: a call killed halfway keeps
  // its first decisions, and the next call (the journal being the record) goes on from there
  const delivery = opts.webhook ? { delivery: { status: 'pending' as const, attempts: 0, url: opts.webhook } } : {};
  let offset: number | undefined;
  const journal = (decision: Decision) => {
    offset = appendJournal(stateDir, [{ type: 'decision', decision, ...delivery, recorded_at: new Date().toISOString() } satisfies JournalLine]);
  };
  const r = await advance(run, dataFile, { stateDir, asOf: opts.asOf, onDecision: journal, tailRead: opts.tailRead });
  const t1 = performance.now();
  if (r.decisions.length > 0 || r.journaled === 0) writeLiveState(stateDir, offset === undefined ? r.state : { ...r.state, journal_offset: offset });
  return { decision: r.latest, appended: r.decisions, stateDir, seconds: { open, ...r.seconds, state: (performance.now() - t1) / 1000 }, work: r.work, read: r.read, bars: r.bars };
}

export interface UniverseSignalResult {
  decision: UniverseDecision;
  appended: number;
  /** each series' state and journal folder, in the run's order (where --webhook delivers from) */
  stateDirs: string[];
}

/**
 * A universe: every series decided from its own workspace (series/<name>/) and its own column of
 * the data file (a universe of columns), each with its own state and journal in
 * <stateDir>/<name>/; the portfolio is the equal-weight one of universe_results (each series
 * 1/N of the capital), so its target weight per series is target_position / N.
 */
export async function signalUniverse(workspace: string, dataFiles: string | Record<string, string>, opts: { stateDir?: string; asOf?: string; only?: string[]; webhook?: string; after?: SignalOptions['after'] } = {}): Promise<UniverseSignalResult> {
  const u = universeSeries(workspace);
  if (!u) throw regimenError({ code: 'usage', field: 'workspace', value: workspace, message: 'is not a universe workspace' });
  const names = u.series.map((s) => s.name);
  for (const name of [...(opts.only ?? []), ...(typeof dataFiles === 'string' ? [] : Object.keys(dataFiles))]) {
    if (!names.includes(name)) throw regimenError({ code: 'usage', field: '--series', value: name, message: `the universe has no such series (it has: ${names.join(', ')})` });
  }
  const base = resolve(opts.stateDir ?? defaultStateDir(resolve(workspace)));
  const series: Decision[] = [];
  let appended = 0;
  const stateDirs: string[] = [];
  for (const s of u.series) {
    if (opts.only && !opts.only.includes(s.name)) continue;
    const file = typeof dataFiles === 'string' ? dataFiles : dataFiles[s.name];
    if (!file) throw regimenError({ code: 'usage', field: '--data', value: s.name, message: 'no data file given for this series (give --data <series>=<file> for each)' });
    const r = await signal(s.dir, file, { stateDir: `${base}/${s.name}`, asOf: opts.asOf, webhook: opts.webhook, after: opts.after });
    stateDirs.push(r.stateDir);
    series.push(r.decision);
    appended += r.appended.length;
  }
  const count = u.series.length;
  const weights = Object.fromEntries(series.map((d) => [d.identity.series ?? '', d.target_position / count]));
  const ws = Object.values(weights);
  const times = series.map((d) => d.time).sort();
  return {
    decision: {
      kind: 'regimen.universe_decision',
      time: times[times.length - 1] ?? '',
      series,
      portfolio: { weights, gross: ws.reduce((a, w) => a + Math.abs(w), 0), net: ws.reduce((a, w) => a + w, 0) },
      identity: { workflow_id: u.manifest.workflow_id, config_hash: u.manifest.config_hash, data_fingerprint: u.manifest.data_fingerprint.sha256, history_bars: u.manifest.data_fingerprint.bars, regimen_version: u.manifest.regimen_version },
    },
    appended,
    stateDirs,
  };
}
