// The workflow suite's child process: one real run of a workflow, as `regimen run` does it, in a
// process of its own so its peak RSS is the run's alone. Prints one JSON line on stdout.
import { runWorkflow, type RunEvent } from '@regimen/coordinator';
import { formatError } from '@regimen/core';
import { mainThreadCpuSeconds } from './thread-cpu.js';

const [file, workers, seriesInFlight] = process.argv.slice(2);
const phases: Array<{ phase: string; seconds: number; stages: Record<string, number> }> = [];
const onEvent = (e: RunEvent) => {
  if (e.type === 'phase-done') phases.push({ phase: e.phase, seconds: e.seconds, stages: e.stages });
};
try {
  const t0 = performance.now();
  const r = await runWorkflow(file!, { workers: Number(workers), force: true, onEvent, ...(seriesInFlight ? { seriesInFlight: Number(seriesInFlight) } : {}) });
  const seconds = (performance.now() - t0) / 1000;
  const usage = process.cpuUsage();
  const cpu = { main_seconds: mainThreadCpuSeconds(), process_seconds: (usage.user + usage.system) / 1e6 };
  process.stdout.write(JSON.stringify({ seconds, load_seconds: r.loadSeconds, phases, workspace: r.manifest.paths.base, peak_rss_bytes: process.resourceUsage().maxRSS * 1024, cpu }) + '\n');
} catch (e) {
  process.stderr.write(formatError(e) + '\n');
  process.exitCode = 2;
}
