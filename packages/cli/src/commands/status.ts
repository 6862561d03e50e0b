import type { Command } from 'commander';
import { workspaceStatus } from '@regimen/coordinator';
import { table } from '../format.js';
import { formatUniverseStatus } from '../universe-format.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show which phases of a workspace are complete and how many trials have results')
    .argument('<workspace>', 'workspace folder (the run\'s output_dir)')
    .option('--json', 'print as JSON')
    .action((dir: string, o: { json?: boolean }) => {
      const s = workspaceStatus(dir);
      if (o.json) {
        console.log(JSON.stringify(s, null, 2));
        return;
      }
      console.log(`workflow ${s.manifest.workflow_id} · created ${s.manifest.created_at} · data ${s.manifest.data_fingerprint.source} (${s.manifest.data_fingerprint.bars} bars)`);
      if (s.series) {
        console.log(formatUniverseStatus({ ...s, series: s.series }, s.manifest));
        return;
      }
      if (s.folds) {
        // a walk-forward: one row per fold, the phases it has finished
        const configured = s.phases.filter((p) => p.configured).map((p) => p.phase);
        const plan = s.manifest.folds!;
        console.log(`walk-forward: ${s.folds.length} folds (their files in folds/fold_<k>/)`);
        console.log(
          table(
            ['fold', 'in sample', 'out of sample', ...configured, 'trials'],
            s.folds.map((f) => {
              const p = plan[f.index]!;
              return [String(f.index), `${p.in_sample.first} → ${p.in_sample.last}`, `${p.out_of_sample.first} → ${p.out_of_sample.last}`,
                ...configured.map((c) => (f.phases.find((x) => x.phase === c)?.checkpoint ? 'done' : '·')), `${f.trials.done}/${f.trials.planned}`];
            }),
          ),
        );
        const done = s.folds.filter((f) => f.phases.filter((p) => p.configured).every((p) => p.checkpoint)).length;
        console.log(`${done} of ${s.folds.length} folds complete`);
        return;
      }
      console.log(
        table(
          ['phase', 'status', 'completed', 'seconds', 'counts'],
          s.phases.filter((p) => p.configured).map((p) => [
            p.phase,
            p.checkpoint ? 'complete' : 'pending',
            p.checkpoint?.completed_at ?? '',
            p.checkpoint ? p.checkpoint.seconds.toFixed(2) : '',
            p.checkpoint ? Object.entries(p.checkpoint.counts).map(([k, v]) => `${k}=${v}`).join(' ') : '',
          ]),
        ),
      );
      console.log(`trials: ${s.trials.done} of ${s.trials.planned} have results · ensemble weight sets: ${s.ensembleTrials}`);
    });
}
