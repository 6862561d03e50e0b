import type { Command } from 'commander';
import { PaperCallSchema, regimenError, type PaperCall, type PaperStatus } from '@regimen/core';
import { paper, paperStatus } from '@regimen/live';
import { METRIC_HEADER, metricCells, table } from '../format.js';
import { checkedWebhook, deliveryText, failIfUndelivered, webhookOption } from './webhook.js';

interface PaperFlags {
  data?: string;
  state?: string;
  webhook?: string;
  json?: boolean;
}

export function registerPaper(program: Command): void {
  const cmd = program
    .command('paper')
    .description('paper trading: the decision of every new bar (as `regimen signal` makes it), filled at its close with the run\'s fee and slippage, in a ledger <workspace>/live/paper.jsonl. Places no orders.')
    .argument('<workspace>', 'a finished workspace')
    .option('--data <file>', 'the run\'s series extended with newer bars')
    .option('--state <dir>', 'state, journal and ledger folder (default <workspace>/live)')
    .option('--json', 'print one JSON object (schema: PaperCallSchema in @regimen/core)');
  webhookOption(cmd).action(async (workspace: string, o: PaperFlags) => {
    const url = checkedWebhook(o.webhook);
    if (!o.data) throw regimenError({ code: 'usage', field: '--data', message: 'give the data file: the run\'s series extended with newer bars' });
    const r = await paper(workspace, o.data, { stateDir: o.state, webhook: url });
    const delivery = r.delivery;
    const call: PaperCall = {
      kind: 'regimen.paper',
      decision: r.decision,
      booked: r.booked,
      open: { bar: r.open.bar, time: r.open.time },
      last: r.last,
      ledger: r.ledgerFile,
      delivery,
    };
    console.log(o.json ? JSON.stringify(PaperCallSchema.parse(call)) : formatPaperCall(call));
    failIfUndelivered(delivery, r.stateDir);
  });

  cmd
    .command('status')
    .description('the paper run against buy-and-hold and against the validation engine on the same bars (they must agree to the last digit: exit 1 at the first bar that does not)')
    .argument('<workspace>', 'a workspace with a paper ledger')
    .option('--data <file>', 'the data file to check against (default: the one the last `regimen paper` booked from)')
    .option('--state <dir>', 'state, journal and ledger folder (default <workspace>/live)')
    .option('--json', 'print one JSON object (schema: PaperStatusSchema in @regimen/core)')
    .action(async (workspace: string, own: PaperFlags) => {
      // `paper` has the same options: commander hands those after `status` to it, so read both
      const o = { ...cmd.opts<PaperFlags>(), ...own };
      const s = await paperStatus(workspace, { stateDir: o.state, data: o.data });
      console.log(o.json ? JSON.stringify(s) : formatPaperStatus(s));
      const d = s.agreement.first_difference;
      if (d) {
        throw regimenError({ code: 'internal', file: `${o.state ?? `${workspace}/live`}/paper.jsonl`, field: `bar ${d.bar} (${d.time}) ${d.field}`, value: d.paper, message: `the paper ledger differs from the validation engine (${d.engine}) on the same bars` });
      }
    });
}

const signed = (x: number) => (x > 0 ? '+' : '') + String(x);

export function formatPaperCall(c: PaperCall): string {
  const d = c.decision;
  const lines = [
    c.booked.length
      ? `booked ${c.booked.length} new bar${c.booked.length === 1 ? '' : 's'} (${c.booked[0]!.time} → ${c.booked.at(-1)!.time}) in ${c.ledger}`
      : `nothing new to book: the ledger already has every bar of the file (last ${c.last.time})`,
    ...c.booked.slice(-5).map((f) => `  ${f.time}  close ${f.close}  ${(f.regime ?? '(no regime)').padEnd(12)} position ${f.position}${f.trade !== 0 ? `  (trade ${signed(f.trade)} at ${f.fill_price}, cost ${f.cost.toPrecision(3)})` : ''}  return ${(100 * f.return).toFixed(3)}%`),
    ...(c.booked.length > 5 ? [`  (${c.booked.length - 5} earlier bars in the ledger)`] : []),
    `paper equity ${c.last.equity.toFixed(6)} since ${c.open.time} (the run's last bar, equity 1); position ${c.last.position} held from the close of ${c.last.time}`,
    `newest decision: bar ${d.bar} ${d.time}, regime ${d.regime ?? '(none)'} (${d.driving_classifier}), target ${d.target_position}${d.change !== 0 ? ` (${d.change > 0 ? 'buy' : 'sell'} ${Math.abs(d.change)} at the close)` : ' (no trade)'}`,
  ];
  if (c.delivery) lines.push(deliveryText(c.delivery));
  lines.push('(Regimen places no orders: this is a paper ledger)');
  return lines.join('\n');
}

export function formatPaperStatus(s: PaperStatus): string {
  const id = s.identity;
  const a = s.agreement;
  const verdict = a.first_difference
    ? `DIFFERS from the validation engine at bar ${a.first_difference.bar} (${a.first_difference.time}), ${a.first_difference.field}: paper ${a.first_difference.paper}, engine ${a.first_difference.engine}`
    : `identical to the validation engine on the same ${a.bars} bars, to the last digit: every position, return and equity (and so every metric) equal bit for bit`;
  return [
    `paper run of ${id.workflow_id}${id.fold ? ` (fold ${id.fold.index})` : ''} — config ${id.config_hash.slice(0, 12)}, data ${s.data}`,
    `${s.bars} bar${s.bars === 1 ? '' : 's'} booked after ${s.first.time} (the run's last bar), to ${s.last.time}; position ${s.position}, regime ${s.regime ?? '(none)'}`,
    '',
    table(['run', 'equity', ...METRIC_HEADER], [
      ['paper', s.paper.equity.toFixed(6), ...metricCells(s.paper.metrics)],
      ['validation engine', s.validation_engine.equity.toFixed(6), ...metricCells(s.validation_engine.metrics)],
      ['buy and hold', s.buy_and_hold.equity.toFixed(6), ...metricCells(s.buy_and_hold.metrics)],
    ]),
    '',
    `the ledger is ${verdict}`,
  ].join('\n');
}
