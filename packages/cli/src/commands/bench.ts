import type { Command } from 'commander';

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('run a benchmark suite (see benchmarks/README.md); prints a table and writes JSON')
    .argument('[suite]', 'suite name, or "all"', 'all')
    .argument('[args...]', 'suite options, e.g. --bars 1000000 --workers 2 --json')
    .allowUnknownOption(true)
    .helpOption(false)
    .action(async (suite: string, args: string[]) => {
      const bench = (await import('@regimen/benchmarks')) as unknown as { runBenchCli: (suite: string, args: string[]) => Promise<void> };
      await bench.runBenchCli(suite, args);
    });
}
