import type { Command } from 'commander';
import { workspaceStatus } from '@regimen/coordinator';
import { table } from '../format.js';

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
