import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Piscina } from 'piscina';

/**
 * Run `task` through the default export of the ES module at `module` (absolute path or file URL of
 * built JavaScript): on a pool thread when there is a pool (Piscina loads each module once per
 * thread), else on this thread. This is how a plugin runs its own work on the run's workers
 * (core's TaskPool); the executor's trial batches do not go through it.
 */
export async function runModuleTask<R>(pool: Piscina | undefined, module: string, task: unknown): Promise<R> {
  if (pool) return (await pool.run(task, { filename: module })) as R;
  const url = isAbsolute(module) ? pathToFileURL(module).href : module;
  const loaded = (await import(url)) as { default?: (task: unknown) => R | Promise<R> };
  if (typeof loaded.default !== 'function') throw new Error(`${module} has no default export to run tasks with`);
  return loaded.default(task);
}
