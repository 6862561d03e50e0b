import type { EmEngine } from './em-engine.js';
import type { EmResult } from './em.js';
import { runRestartTask, taskEngine, type RestartTask } from './restart-task.js';

/**
 * The pool worker of the HMM fit (run through ClassifierContext.pool): one task function. The
 * engine — a kernel instance holding the fit's features and per-bar buffers, 64 MB at a million
 * bars — is made once per fit and worker, and let go once the worker has been idle for a moment, so
 * a finished fit does not keep it for the rest of the run.
 */
let held: { key: string; engine: EmEngine } | undefined;
let release: ReturnType<typeof setTimeout> | undefined;
const IDLE_MS = 1000;

export default function restartWorker(task: RestartTask): EmResult {
  clearTimeout(release);
  if (held?.key !== task.dataKey) held = { key: task.dataKey, engine: taskEngine(task) };
  const result = runRestartTask(task, held.engine);
  release = setTimeout(() => (held = undefined), IDLE_MS);
  release.unref?.();
  return result;
}
