import type { Command } from 'commander';

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('run a benchmark suite: checks against the reference, prints a table, writes JSON to benchmarks/out')
    .argument('[suite]', 'sma-cross | scaling | phase1 | replay | search | hmm-fit | workflow | walk-forward | universe | pbo | report | data | strategy-plugin | distributed | all', 'all')
    .argument('[options...]', 'suite options (below)')
    .allowUnknownOption(true)
    .addHelpText(
      'after',
      `
Suite options:
  --bars N            bars of the seeded random walk (default 1000000); --rows N is the same
  --repeat N          timed runs; the median is reported (data: fresh processes per format)
  --prices FILE       use a CSV (column close) or Arrow file instead of a random walk
  --workers N         worker threads (default 2)
  --engine wasm|js    engine under test (default wasm)
  --seed N            random-walk seed
  --config FILE       workflow: the workflow to run (default examples/seed-workflow.yaml)
  --prices FILE       universe: a file of price columns, every one a series (default: the embedded Dow 30)
                      pbo: a CSV with a close column (default: the embedded Dow 30's MSFT)
  --folds N           walk-forward: folds (default 6)
  --pbo-blocks N      walk-forward: the PBO's blocks in both runs (default: the workflow's, 16); pbo: S (default 16)
  --redis URL         distributed: the Redis to use (default: a redis-server started on a free port)
  --trials N          phase1, strategy-plugin: number of trials
  --weight-sets N     replay: number of weight sets; pbo: the candidates ranked (default 200)
  --bars-list a,b     scaling: bar counts;  --trials-list a,b  scaling: trial counts
  --json              print the result as JSON
  --out DIR           where the JSON goes (default benchmarks/out)
  --workspace DIR     report: the workspace to report on (default: the seed workflow, embedded data)

Examples: regimen bench sma-cross --bars 1000000 --workers 2 --json
          regimen bench workflow --bars 1000000      (the seed workflow end to end, per stage)
          regimen bench distributed --workers 2      (the sma-cross grid through Redis vs the local pool)
          regimen bench walk-forward --bars 1000000  (6 folds against a single split, same trials)
          regimen bench universe                     (the Dow 30 as 30 series, against the time of their trials)
          regimen bench pbo --weight-sets 800        (the PBO's CSCV walk alone: TypeScript vs WebAssembly)
Results with their commands: benchmarks/RESULTS.md`,
    )
    .action(async (suite: string, args: string[]) => {
      const bench = (await import('@regimen/benchmarks')) as unknown as { runBenchCli: (suite: string, args: string[]) => Promise<void> };
      await bench.runBenchCli(suite, args);
    });
}
