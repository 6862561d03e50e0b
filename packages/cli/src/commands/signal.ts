import type { Command } from 'commander';
import { regimenError, type Decision, type UniverseDecision } from '@regimen/core';
import { deliverPending, openLive, replay, signal, signalUniverse, universeSeries, type DeliveryReport, type ReplayReport, type SignalOptions, type SignalResult } from '@regimen/live';
import { checkedWebhook, deliveryText, failIfUndelivered, webhookOption } from './webhook.js';

interface SignalFlags {
  data?: string[];
  json?: boolean;
  asOf?: string;
  state?: string;
  replay?: boolean;
  series?: string[];
  webhook?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerSignal(program: Command): void {
  const cmd = program
    .command('signal')
    .description('the decision for the newest bar of a finished workspace (regime, parameters, weights, target position), made by the validation\'s own engine; journaled in <workspace>/live/. Places no orders.')
    .argument('<workspace>', 'a finished workspace (a walk-forward decides with its latest fold; a universe per series)')
    .option('--data <file>', 'the run\'s series extended with newer bars (a universe: the file of columns, or <series>=<file> once per series)', collect)
    .option('--json', 'print the decision as one JSON object (schema: DecisionSchema / UniverseDecisionSchema in @regimen/core)')
    .option('--as-of <time>', 'decide at the last bar at or before this time instead of the file\'s last bar')
    .option('--state <dir>', 'state and journal folder (default <workspace>/live): the step memory the next call resumes from (it steps only its new bars) and the decisions journal')
    .option('--replay', 'step through the validation split bar by bar through the live entry point and compare every decision with the run\'s; exit 1 at the first difference')
    .option('--series <name>', 'a universe: only this series (repeatable)', collect);
  webhookOption(cmd).action(async (workspace: string, o: SignalFlags) => {
      const url = checkedWebhook(o.webhook);
      const universe = universeSeries(workspace);
      if (o.replay) {
        const dirs = universe ? seriesDirs(universe, o.series) : [workspace];
        for (const dir of dirs) {
          const r = await replay(dir);
          console.log(o.json ? JSON.stringify(r) : formatReplay(r));
          if (r.mismatch) {
            const m = r.mismatch;
            throw regimenError({ code: 'internal', file: r.compared[0], field: `bar ${m.bar} (${m.time}) ${m.field}`, value: m.replay, message: `the live decision differs from validation's (${JSON.stringify(m.validation)}): parity broken` });
          }
        }
        return;
      }
      if (!o.data?.length) throw regimenError({ code: 'usage', field: '--data', message: 'give the data file: the run\'s series extended with newer bars' });
      if (universe) {
        const files = o.data.length === 1 && !o.data[0]!.includes('=') ? o.data[0]! : Object.fromEntries(o.data.map((d) => {
          const i = d.indexOf('=');
          if (i <= 0) throw regimenError({ code: 'usage', field: '--data', value: d, message: 'a universe of files wants <series>=<file> for each series' });
          return [d.slice(0, i), d.slice(i + 1)];
        }));
        const deliveries: Array<[DeliveryReport, string]> = [];
        const r = await signalUniverse(workspace, files, { stateDir: o.state, asOf: o.asOf, only: o.series, webhook: url, after: deliverer(url, deliveries) });
        console.log(o.json ? JSON.stringify(r.decision) : formatUniverse(r.decision, r.appended));
        reportDeliveries(deliveries, o.json);
        return;
      }
      if (o.data.length > 1) throw regimenError({ code: 'usage', field: '--data', value: o.data, message: 'one data file for a workspace of one series' });
      const run = await openLive(workspace);
      const deliveries: Array<[DeliveryReport, string]> = [];
      const r = await signal(workspace, o.data[0]!, { stateDir: o.state, asOf: o.asOf, run, webhook: url, after: deliverer(url, deliveries) });
      console.log(o.json ? JSON.stringify(r.decision) : formatDecision(r.decision, `${r.appended.length} new bar${r.appended.length === 1 ? '' : 's'} journaled in ${r.stateDir}/decisions.jsonl${workText(r.work)}`));
      // --json keeps stdout one object; a full recomputation is still said, on stderr
      if (o.json && !r.work.stepped) console.error(`regimen signal:${workText(r.work)}`);
      reportDeliveries(deliveries, o.json);
    });
}

/** --webhook: send what a journal has pending while its state folder is still locked (never twice at once). */
const deliverer = (url: string | undefined, out: Array<[DeliveryReport, string]>): SignalOptions['after'] =>
  url ? async (r) => void out.push([await deliverPending(r.stateDir, url), r.stateDir]) : undefined;

/** After the output: each journal's outcome (text mode), then exit 75 if one was not acknowledged. */
function reportDeliveries(deliveries: Array<[DeliveryReport, string]>, json: boolean | undefined): void {
  // --json keeps stdout one object: a failed delivery goes to stderr as the error line
  if (!json) for (const [d] of deliveries) console.log(deliveryText(d));
  const failed = deliveries.find(([d]) => d.failed);
  if (failed) failIfUndelivered(...failed);
}

function seriesDirs(u: NonNullable<ReturnType<typeof universeSeries>>, only: string[] | undefined): string[] {
  const names = u.series.map((s) => s.name);
  for (const n of only ?? []) if (!names.includes(n)) throw regimenError({ code: 'usage', field: '--series', value: n, message: `the universe has no such series (it has: ${names.join(', ')})` });
  return u.series.filter((s) => !only || only.includes(s.name)).map((s) => s.dir);
}

/** How the decisions were made: stepped from the saved state, or over the whole history (a plugin without step hooks). */
export function workText(w: SignalResult['work']): string {
  if (w.stepped) return w.bars === 0 ? '' : w.rebuilt ? `; step memory built from bar 0 (${w.bars} bars; later calls step only their new bars)` : `; ${w.bars} bar${w.bars === 1 ? '' : 's'} stepped from the saved state`;
  return `; full recomputation over the whole history for each new bar: ${w.reason}`;
}

const num = (x: number, d = 3) => (Number.isInteger(x) ? String(x) : x.toFixed(d));
const paramText = (p: Record<string, unknown> | null) => (p ? Object.entries(p).filter(([k]) => k !== 'side').map(([k, v]) => `${k}=${String(v)}`).join(' ') : '(no winner: sits out)');

export function formatDecision(d: Decision, note?: string): string {
  const id = d.identity;
  const where = [id.fold ? `fold ${id.fold.index + 1} of ${id.fold.of}` : '', id.series ? `series ${id.series}` : ''].filter(Boolean).join(', ');
  const lines = [
    `${id.workflow_id}${where ? ` (${where})` : ''} — config ${id.config_hash.slice(0, 12)}, history ${id.data_fingerprint.slice(0, 12)} (${id.history_bars} bars), regimen ${id.regimen_version}`,
    `bar ${d.bar}  ${d.time}  close ${d.close}${d.in_history ? '  (a bar of the run\'s own validation split)' : ''}`,
    ...Object.entries(d.classifiers).map(([name, c]) => {
      const probs = c.probabilities ? '  (' + Object.entries(c.probabilities).map(([r, p]) => `${r} ${p.toFixed(3)}`).join(', ') + ')' : '';
      return `  ${name === d.driving_classifier ? '*' : ' '} ${name.padEnd(16)} ${c.regime ?? '(no regime yet)'}${probs}`;
    }),
    '',
    `  ${'strategy'.padEnd(16)} ${'position'.padStart(8)} ${'weight'.padStart(7)}  parameters in force`,
    ...Object.entries(d.strategies).map(([s, x]) => `  ${s.padEnd(16)} ${num(x.position).padStart(8)} ${num(x.weight).padStart(7)}  ${paramText(x.params)}`),
    '',
    `target position ${num(d.target_position, 4)} (was ${num(d.previous_position, 4)}): ${d.change === 0 ? 'no trade' : `${d.change > 0 ? 'buy' : 'sell'} ${num(Math.abs(d.change), 4)} at the close`}`,
  ];
  if (note) lines.push(note);
  lines.push('(* the driving classifier; Regimen places no orders)');
  return lines.join('\n');
}

export function formatUniverse(u: UniverseDecision, appended: number): string {
  const rows = u.series.map((d) => `  ${(d.identity.series ?? '').padEnd(10)} ${d.time}  ${(d.regime ?? '-').padEnd(12)} ${num(d.target_position, 4).padStart(8)} ${num(d.change, 4).padStart(8)} ${num(u.portfolio.weights[d.identity.series ?? '']!, 4).padStart(8)}`);
  return [
    `${u.identity.workflow_id} — universe, config ${u.identity.config_hash.slice(0, 12)}, regimen ${u.identity.regimen_version}`,
    `  ${'series'.padEnd(10)} ${'bar time'.padEnd(10)}  ${'regime'.padEnd(12)} ${'target'.padStart(8)} ${'change'.padStart(8)} ${'weight'.padStart(8)}`,
    ...rows,
    `equal-weight portfolio: gross ${num(u.portfolio.gross, 4)}, net ${num(u.portfolio.net, 4)}; ${appended} new decision${appended === 1 ? '' : 's'} journaled`,
    '(Regimen places no orders)',
  ].join('\n');
}

export function formatReplay(r: ReplayReport): string {
  const head = `replay of ${r.bars} validation bars (bars ${r.first}–${r.end - 1}) of ${r.workspace}, each decided from bars 0..t only through the live entry point`;
  if (r.mismatch) return `${head}: DIFFERS at bar ${r.mismatch.bar} (${r.mismatch.time}), ${r.mismatch.field}: live ${JSON.stringify(r.mismatch.replay)}, validation ${JSON.stringify(r.mismatch.validation)}`;
  return `${head}: identical to validation, bit for bit — ${r.trades} trades, positions compared with ${r.compared.join(' and ')}; each decision ${r.work} (${r.seconds.toFixed(1)} s)`;
}
