import { join, resolve } from 'node:path';
import { PaperLineSchema, regimenError, type BarColumns, type Decision, type LiveIdentity, type PaperFillLine, type PaperLine, type PaperOpenLine, type PaperSourceLine } from '@regimen/core';
import { isoTime } from '@regimen/data';
import { journaledDecisions } from './advance.js';
import { deliverPending, type DeliveryReport } from './delivery.js';
import { appendJsonLines, readJsonLines } from './jsonl.js';
import { openLive, universeSeries, type LiveRun } from './open.js';
import { bookBar, type PaperMark } from './paper-book.js';
import { signal } from './signal.js';
import type { WebhookPolicy } from './webhook.js';
import { defaultStateDir } from './state.js';

export const paperPath = (stateDir: string): string => join(stateDir, 'paper.jsonl');

export interface Ledger {
  file: string;
  open: PaperOpenLine | null;
  fills: PaperFillLine[];
  /** the data file of the last call that booked bars */
  source: PaperSourceLine | null;
}

const IDENTITY_FIELDS = ['workflow_id', 'config_hash', 'data_fingerprint', 'history_bars'] as const;

/**
 * live/paper.jsonl, validated: an `open` line first, then fills one bar after another. A ledger
 * of another run (another workflow, config, data or fold) is refused naming the field.
 */
export function readLedger(stateDir: string, identity: LiveIdentity): Ledger {
  const file = paperPath(stateDir);
  const lines = readJsonLines(file, PaperLineSchema);
  const ledger: Ledger = { file, open: null, fills: [], source: null };
  lines.forEach((l, i) => {
    if (i === 0 && l.type !== 'open') throw regimenError({ code: 'workspace', file, field: 'line 1: type', value: l.type, message: 'a paper ledger starts with its "open" line' });
    if (l.type === 'open') {
      if (i > 0) throw regimenError({ code: 'workspace', file, field: `line ${i + 1}: type`, value: l.type, message: 'a second "open" line: two ledgers were mixed' });
      for (const f of IDENTITY_FIELDS) {
        if (l.identity[f] !== identity[f]) throw regimenError({ code: 'workspace', file, field: `identity.${f}`, value: l.identity[f], message: `the ledger is another run's (this run's is ${String(identity[f])}): give this run its own --state folder` });
      }
      if (l.identity.fold?.index !== identity.fold?.index || l.identity.series !== identity.series) {
        throw regimenError({ code: 'workspace', file, field: 'identity.fold', value: l.identity.fold?.index ?? l.identity.series ?? null, message: 'the ledger is another fold\'s or series\' of this run' });
      }
      ledger.open = l;
    } else if (l.type === 'source') ledger.source = l;
    else {
      const prev = ledger.fills.at(-1)?.bar ?? ledger.open!.bar;
      if (l.bar !== prev + 1) throw regimenError({ code: 'workspace', file, field: `line ${i + 1}: bar`, value: l.bar, message: `follows bar ${prev}: the ledger has a hole or a duplicate` });
      ledger.fills.push(l);
    }
  });
  return ledger;
}

/** The ledger's last mark: what the next bar is booked against. */
export function lastMark(ledger: Ledger): PaperMark & { time: string } {
  const last = ledger.fills.at(-1) ?? ledger.open!;
  return { bar: last.bar, time: last.time, close: last.close, position: last.position, equity: last.equity };
}

/**
 * The lines that book every journaled decision the ledger does not have yet. The ledger opens at
 * the bar before the first journaled decision (the run's last bar), holding that decision's
 * previous position — the validation engine's position there — with equity 1.
 */
export function ledgerLines(run: LiveRun, ledger: Ledger, decisions: Decision[], closeAt: (bar: number) => number, timeAt: (bar: number) => string, now: string): { open: PaperOpenLine | null; fills: PaperFillLine[] } {
  let open: PaperOpenLine | null = null;
  if (!ledger.open) {
    const d0 = decisions[0];
    if (!d0) return { open: null, fills: [] };
    const bar = d0.bar - 1;
    open = { type: 'open', identity: run.identity, costs: run.costs, driving_classifier: run.driving, bar, time: timeAt(bar), close: closeAt(bar), position: d0.previous_position, equity: 1, recorded_at: now };
  }
  const start = open ?? ledger.open!;
  let prev: PaperMark = ledger.open ? lastMark(ledger) : { bar: start.bar, close: start.close, position: start.position, equity: start.equity };
  const booked = new Map(ledger.fills.map((f) => [f.bar, f]));
  const fills: PaperFillLine[] = [];
  for (const d of decisions) {
    const done = booked.get(d.bar);
    if (done) {
      // what is booked must be what the journal decided: two files edited apart are refused
      if (!Object.is(done.position, d.target_position) || !Object.is(done.close, d.close)) {
        throw regimenError({ code: 'workspace', file: ledger.file, field: `bar ${d.bar} (${d.time}) position`, value: done.position, message: `differs from the journal's decision (${d.target_position} at close ${d.close}): the ledger and the journal disagree` });
      }
      continue;
    }
    if (d.bar <= start.bar) continue;
    if (d.bar !== prev.bar + 1 || !Object.is(d.previous_position, prev.position)) {
      throw regimenError({ code: 'workspace', file: ledger.file, field: `bar ${d.bar} (${d.time})`, value: d.previous_position, message: `does not continue the ledger's bar ${prev.bar} (position ${prev.position}): the ledger and the journal disagree` });
    }
    const f = bookBar(prev, { bar: d.bar, close: d.close, position: d.target_position }, run.costs);
    fills.push({ type: 'fill', bar: d.bar, time: d.time, close: d.close, regime: d.regime, previous_position: prev.position, position: f.position, trade: f.trade, fill_price: f.fill_price, cost: f.cost, return: f.return, equity: f.equity, recorded_at: now });
    prev = f;
  }
  return { open, fills };
}

export interface PaperOptions {
  stateDir?: string;
  /** journal the new decisions as pending for this webhook and send what is pending */
  webhook?: string;
  webhookPolicy?: Partial<WebhookPolicy>;
  run?: LiveRun;
}

export interface PaperResult {
  /** the decision of the file's last bar */
  decision: Decision;
  /** bars booked by this call (none for a repeated call with the same file) */
  booked: PaperFillLine[];
  open: PaperOpenLine;
  last: PaperMark & { time: string };
  ledgerFile: string;
  stateDir: string;
  /** with a webhook: what was sent, what failed, what is still pending */
  delivery: DeliveryReport | null;
}

/**
 * `regimen paper`: the very step `regimen signal` takes (`signal`: new bars → decisions in the
 * journal), then every journaled decision not yet booked is filled at its bar's close. The ledger
 * is appended after the journal, so a process killed between the two leaves decisions that the
 * next call books; a repeated call with the same file journals and books nothing.
 */
export async function paper(workspace: string, dataFile: string, opts: PaperOptions = {}): Promise<PaperResult> {
  refuseUniverse(workspace);
  const run = opts.run ?? (await openLive(workspace));
  const stateDir = resolve(opts.stateDir ?? defaultStateDir(run.root));
  // a ledger of another run, or one that disagrees with the journal, is refused before the step
  // appends anything to the journal
  const before = readLedger(stateDir, run.identity);
  if (before.open) ledgerLines(run, before, journaledDecisions(run, stateDir), () => NaN, () => '', '');
  let booked: Omit<PaperResult, 'decision' | 'stateDir' | 'delivery'> | undefined;
  let delivery: DeliveryReport | null = null;
  // booking and delivery happen while the step still holds the state folder's lock
  const s = await signal(workspace, dataFile, {
    stateDir,
    run,
    // the ledger may be behind the journal (a kill between them): booking reads any decided bar's close
    tailRead: false,
    webhook: opts.webhook,
    after: async (r) => {
      booked = book(run, stateDir, dataFile, r.bars);
      if (opts.webhook) delivery = await deliverPending(stateDir, opts.webhook, { policy: opts.webhookPolicy });
    },
  });
  return { decision: s.decision, stateDir, ...booked!, delivery };
}

/** Books every journaled decision the ledger does not have yet (appended in one write). */
function book(run: LiveRun, stateDir: string, dataFile: string, bars: BarColumns): Omit<PaperResult, 'decision' | 'stateDir' | 'delivery'> {
  const ledger = readLedger(stateDir, run.identity);
  const decisions = journaledDecisions(run, stateDir);
  const now = new Date().toISOString();
  const { open, fills } = ledgerLines(run, ledger, decisions, (t) => bars.close[t]!, (t) => isoTime(bars.time[t]!), now);
  const lines: PaperLine[] = [];
  if (open) lines.push(open);
  if (fills.length) lines.push({ type: 'source', data: resolve(dataFile), bars: bars.close.length, last: isoTime(bars.time[bars.close.length - 1]!), recorded_at: now }, ...fills);
  const opened = open ?? ledger.open;
  if (!opened) throw regimenError({ code: 'usage', field: '--data', value: dataFile, message: 'has no bar after the run\'s history yet: there is nothing to paper-trade' });
  appendJsonLines(paperPath(stateDir), PaperLineSchema, lines);
  const last = fills.length ? fills[fills.length - 1]! : ledger.fills.at(-1) ?? opened;
  return { booked: fills, open: opened, last: { bar: last.bar, time: last.time, close: last.close, position: last.position, equity: last.equity }, ledgerFile: paperPath(stateDir) };
}

/** A universe's paper ledgers are its series': each series folder is a workspace of its own. */
export function refuseUniverse(workspace: string): void {
  const u = universeSeries(workspace);
  if (!u) return;
  throw regimenError({
    code: 'usage',
    field: 'workspace',
    value: workspace,
    message: `is a universe: paper-trade each series from its own folder, e.g. regimen paper ${u.series[0]?.dir ?? join(workspace, 'series', '<name>')} --data FILE (series: ${u.series.map((x) => x.name).join(', ')})`,
  });
}
