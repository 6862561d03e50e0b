import type { Command } from 'commander';
import { regimenError } from '@regimen/core';
import { writeReport, type Warning, type WrittenReport } from '@regimen/report';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write one self-contained HTML report of a workspace (charts and data inline; opens offline from file://)')
    .argument('<workspace>', 'workspace folder (the run\'s output_dir)')
    .option('--out <file>', 'where to write it (default: <workspace>/report.html)')
    .option('--open', 'open it in the default browser')
    .option('--json', 'print the path, size and warnings as JSON')
    .action(async (dir: string, o: { out?: string; open?: boolean; json?: boolean }) => {
      const r = await writeReport(dir, { out: o.out });
      if (o.json) console.log(JSON.stringify(r, null, 2));
      else console.log(formatReportLine(r));
      if (o.open) await openInBrowser(r.path);
    });
}

export function formatReportLine(r: WrittenReport): string {
  const folds = r.folds.length ? `, and each of the ${r.folds.length} folds' own page (folds/fold_<k>/report.html, linked from it)` : '';
  const series = r.series.length ? `, and each of the ${r.series.length} series' own page (series/<name>/report.html, linked from it)` : '';
  return `Report: ${r.path} (${(r.bytes / 1e6).toFixed(2)} MB)${folds}${series} — open it in a browser, it works offline`;
}

/** The warnings a user needs, one per line (also drawn at the top of the report). */
export function formatWarnings(warnings: Warning[]): string {
  return warnings.length ? ['\nWarnings:', ...warnings.map((w) => `  ! ${w.subject}: ${w.message}`)].join('\n') : '';
}

async function openInBrowser(path: string): Promise<void> {
  const { default: open } = await import('open');
  try {
    await open(path);
  } catch (e) {
    throw regimenError({ code: 'usage', file: path, message: `could not open a browser (${(e as Error).message}); open the file yourself` });
  }
}
