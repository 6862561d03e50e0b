import cliProgress from 'cli-progress';
import type { RunEvent } from '@regimen/coordinator';

/**
 * Progress for long runs: a bar with trials done, rate and ETA on a terminal; one line per phase
 * otherwise (CI logs stay short).
 */
export function progressReporter(opts: { quiet: boolean }): { onEvent: (e: RunEvent) => void; stop: () => void } {
  const tty = Boolean(process.stderr.isTTY) && !process.env.CI;
  let bar: cliProgress.SingleBar | undefined;
  const stopBar = () => {
    bar?.stop();
    bar = undefined;
  };
  const say = (s: string) => {
    if (!opts.quiet) process.stderr.write(s + '\n');
  };
  // a walk-forward's phases 2–4 run once per fold; a universe's phases once per series
  const name = (e: { phase: string; fold?: number; series?: string }) => [e.series, e.fold === undefined ? undefined : `fold ${e.fold}`, e.phase].filter((x) => x !== undefined).join(' ');
  return {
    onEvent(e) {
      switch (e.type) {
        case 'phase-start':
          say(`▶ ${name(e)}`);
          break;
        case 'phase-done':
          stopBar();
          say(`✔ ${name(e)} in ${e.seconds.toFixed(2)} s (${Object.entries(e.counts).map(([k, v]) => `${k} ${v}`).join(', ')})`);
          break;
        case 'phase-skip':
          say(`· ${name(e)} skipped: ${e.reason}`);
          break;
        case 'info':
          say(`  ${e.series === undefined ? '' : `${e.series}: `}${e.message}`);
          break;
        case 'progress':
          if (!tty || opts.quiet) break;
          if (!bar) {
            bar = new cliProgress.SingleBar(
              { format: `  {bar} {value}/{total} trials · {rate}/s · ETA {eta_formatted}`, clearOnComplete: true, stream: process.stderr, etaBuffer: 50 },
              cliProgress.Presets.shades_classic,
            );
            bar.start(e.total ?? e.done, 0, { rate: 0 });
          }
          if (e.total === undefined) bar.setTotal(Math.max(e.done, bar.getTotal()));
          bar.update(e.done, { rate: Math.round(e.done / Math.max(1e-3, (Date.now() - (bar as unknown as { startTime: number }).startTime) / 1000)) });
          break;
      }
    },
    stop: stopBar,
  };
}
