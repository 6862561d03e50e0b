/**
 * A module named inside a module task (Executor.runTask), such as the classifier plugin a stage
 * task fits: `{ regimenModule: specifier }`, a file URL or a package specifier. On the local
 * pool it arrives as written; an executor that carries tasks to other machines replaces it with
 * the place of that machine's own installation of the module (the Redis executor: the package,
 * version and path travel, the worker resolves them and checks the version), so a task never
 * holds a path of the coordinator's that means nothing elsewhere.
 */
export interface TaskModuleLink {
  regimenModule: string;
}

export const taskModuleLink = (specifier: string): TaskModuleLink => ({ regimenModule: specifier });

export function isTaskModuleLink(v: unknown): v is TaskModuleLink {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && Object.keys(v).length === 1 && typeof (v as TaskModuleLink).regimenModule === 'string';
}
