import { Command, CommanderError } from 'commander';
import { formatError, isRegimenError } from '@regimen/core';

type Register = (program: Command) => void;

/**
 * Every command, in the order `regimen --help` lists them, each loaded when it is needed: a call
 * such as `regimen signal` imports the packages of its own command only (the coordinator, the report
 * and the Redis client cost seconds of start-up a scheduled call should not pay).
 */
const COMMANDS: Array<[string, () => Promise<Register>]> = [
  ['run', async () => (await import('./commands/run.js')).registerRun],
  ['status', async () => (await import('./commands/status.js')).registerStatus],
  ['report', async () => (await import('./commands/report.js')).registerReport],
  ['paper', async () => (await import('./commands/paper.js')).registerPaper],
  ['inspect', async () => (await import('./commands/inspect.js')).registerInspect],
  ['backtest', async () => (await import('./commands/backtest.js')).registerBacktest],
  ['bench', async () => (await import('./commands/bench.js')).registerBench],
  ['plugins', async () => (await import('./commands/plugins.js')).registerPlugins],
  ['classify', async () => (await import('./commands/classify.js')).registerClassify],
  ['data', async () => (await import('./commands/data.js')).registerData],
  ['plugin', async () => (await import('./commands/plugin-new.js')).registerPluginNew],
  ['worker', async () => (await import('./commands/worker.js')).registerWorker],
  ['signal', async () => (await import('./commands/signal.js')).registerSignal],
];

/** The program with every command, or with `only` when it names one (what `main` runs for it). */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command('regimen')
    .description('Regimen: per-regime strategy parameters and ensemble weights, tested out of sample')
    .version('0.1.0')
    .option('--debug', 'show stack traces on errors')
    .showSuggestionAfterError(true)
    .exitOverride();
  // '' (`regimen --version`): no command at all
  const wanted = COMMANDS.filter(([name]) => only === undefined || name === only);
  for (const register of await Promise.all(wanted.map(([, load]) => load()))) register(program);
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
    await (await buildProgram(commandOf(argv))).parseAsync(argv);
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

/** The command a command line names (its first word after the program's own options), when it is one of ours. */
function commandOf(argv: string[]): string | undefined {
  const args = argv.slice(2);
  const word = args.find((a) => !a.startsWith('-'));
  if (word === undefined && (args.includes('--version') || args.includes('-V'))) return '';
  return COMMANDS.some(([name]) => name === word) ? word : undefined;
}
