// The workflow suite's child process: one real run of a workflow, as `regimen run` does it, in a
// process of its own so its peak RSS is the run's alone. Prints one JSON line on stdout.
import { runWorkflow, type DistributedExecutors, type RunEvent } from '@regimen/coordinator';
import { formatError } from '@regimen/core';
import { parseRedisUrl, redisExecutor } from '@regimen/executor-redis';

const [file, workers, seriesInFlight, executor] = process.argv.slice(2);
// `regimen run --executor redis://…` as the cli wires it (the workflows run here load no strategy plugins)
const executors: DistributedExecutors = {
  check: (url, field) => void parseRedisUrl(url, field),
  create: (r) => redisExecutor({ url: r.url, field: r.field, workflowId: r.workflowId, resumeHint: r.resumeHint, engine: r.engine, local: r.local, emit: r.emit }),
};
const phases: Array<{ phase: string; seconds: number; stages: Record<string, number> }> = [];
const onEvent = (e: RunEvent) => {
  if (e.type === 'phase-done') phases.push({ phase: e.phase, seconds: e.seconds, stages: e.stages });
};
try {
  const t0 = performance.now();
  const r = await runWorkflow(file!, { workers: Number(workers), force: true, onEvent, ...(Number(seriesInFlight) > 0 ? { seriesInFlight: Number(seriesInFlight) } : {}), ...(executor ? { executor, executors } : {}) });
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ seconds, load_seconds: r.loadSeconds, phases, workspace: r.manifest.paths.base, peak_rss_bytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
} catch (e) {
  process.stderr.write(formatError(e) + '\n');
  process.exitCode = 2;
}
