import { Command, CommanderError } from 'commander';
import { formatError, isRegimenError } from '@regimen/core';
import { registerBacktest } from './commands/backtest.js';
import { registerBench } from './commands/bench.js';
import { registerClassify } from './commands/classify.js';
import { registerData } from './commands/data.js';
import { registerInspect } from './commands/inspect.js';
import { registerPaper } from './commands/paper.js';
import { registerPluginNew } from './commands/plugin-new.js';
import { registerPlugins } from './commands/plugins.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerSignal } from './commands/signal.js';
import { registerStatus } from './commands/status.js';
import { registerWorker } from './commands/worker.js';

export { formatSummary } from './commands/run.js';

export function buildProgram(): Command {
  const program = new Command('regimen')
    .description('Regimen: per-regime strategy parameters and ensemble weights, tested out of sample')
    .version('0.1.0')
    .option('--debug', 'show stack traces on errors')
    .showSuggestionAfterError(true)
    .exitOverride();
  registerRun(program);
  registerStatus(program);
  registerReport(program);
  registerPaper(program);
  registerInspect(program);
  registerBacktest(program);
  registerBench(program);
  registerPlugins(program);
  registerClassify(program);
  registerData(program);
  registerPluginNew(program);
  registerWorker(program);
  registerSignal(program);
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  return program;
}

/**
 * The CLI edge: every failure becomes one line on stderr and exit code 2 (bad input, bad usage),
 * with the stack only under --debug. Returns the exit code.
 */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are "errors" to commander; they already printed
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    }
    process.stderr.write(formatError(e) + '\n');
    if (debug) process.stderr.write(((e as Error).stack ?? String(e)) + '\n');
    // bad input and usage are the user's to fix (2); Ctrl-C is 130 as for any shell command; a
    // lost service (Redis) is 75, sysexits' EX_TEMPFAIL: resume later; anything else is a bug or
    // a failed proof (1)
    if (isRegimenError(e) && e.code === 'interrupted') return 130;
    if (isRegimenError(e) && e.code === 'unavailable') return 75;
    return isRegimenError(e) && e.code !== 'internal' ? 2 : 1;
  }
}
