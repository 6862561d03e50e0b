import type { Command } from 'commander';
import { redact, startWorker } from '@regimen/executor-redis';
import { intOption, numberOption } from './options.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run backtests for `regimen run --executor redis://…` on this machine, until stopped (SIGTERM/Ctrl-C: finish the batches in hand; again: hand them back)')
    .requiredOption('--redis <url>', 'redis://[user:password@]HOST:PORT[/db], or rediss://… for TLS (?tls_ca=FILE for a private CA); the password may come from REGIMEN_REDIS_PASSWORD')
    .option('--concurrency <n>', 'batches at a time, each on its own thread (default: the cores here)', intOption('--concurrency'))
    .option('--plugins <dir>', 'where the plugins runs need are installed (default: the working directory)')
    .option('--lock-seconds <s>', 'BullMQ lock on a running batch, renewed every s/2; a dead worker\'s batch is free again after this', numberOption('--lock-seconds'), 30)
    .option('--stalled-seconds <s>', 'how often this worker looks for batches whose worker died (BullMQ stalled-job check)', numberOption('--stalled-seconds'), 30)
    .option('--max-stalled <n>', 'times a batch may lose its worker before it fails the run', intOption('--max-stalled'), 1)
    .option('--quiet', 'print errors only')
    .action(async (o: { redis: string; concurrency?: number; plugins?: string; lockSeconds: number; stalledSeconds: number; maxStalled: number; quiet?: boolean }) => {
      const say = (line: string) => process.stderr.write(`regimen worker: ${line}\n`);
      const worker = await startWorker({
        url: o.redis,
        concurrency: o.concurrency || undefined,
        pluginsFrom: o.plugins,
        lockSeconds: o.lockSeconds,
        stalledSeconds: o.stalledSeconds,
        maxStalled: o.maxStalled,
        log: o.quiet ? () => {} : say,
      });
      if (!o.quiet) say(`${worker.id} ready, waiting for runs at ${redact(o.redis)}`);
      // first signal: finish what is in hand; second: hand it back to the queue and leave now
      let signals = 0;
      const onSignal = () => void (++signals === 1 ? worker.stop() : worker.abort());
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      try {
        await worker.stopped;
      } finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
    });
}
