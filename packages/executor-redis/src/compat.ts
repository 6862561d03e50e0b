import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { regimenError } from '@regimen/core';
import { PROTOCOL, REGIMEN_VERSION, type PluginRef, type RunManifest } from './protocol.js';

/**
 * A worker runs a run's jobs only if it speaks the same protocol, is the same Regimen version
 * and has the same version of every plugin whose code runs in workers. Otherwise it refuses the
 * run with one line naming what differs; the coordinator shows that line.
 */

/** the nearest package.json at or above a file */
function packageJsonOf(file: string): { name?: string; version?: string } | null {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) return JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
    if (dir === parse(dir).root) return null;
  }
}

function resolveFrom(spec: string, from: string): string | null {
  try {
    return createRequire(pathToFileURL(join(from, 'noop.js')).href).resolve(spec);
  } catch {
    return null;
  }
}

/**
 * What a worker must have for a plugin the coordinator loaded from `spec` (resolved from
 * `from`): its package name and version. A plugin that is a lone file has no package: it cannot
 * be installed on a worker under a name, and the run says so before any job is queued.
 */
export function pluginRef(spec: string, from: string): PluginRef {
  const file = resolveFrom(spec, from);
  const pkg = file ? packageJsonOf(file) : null;
  if (!file || !pkg?.name) {
    throw regimenError({ code: 'plugin', field: 'workflow.plugins', value: spec, message: 'a plugin that runs in workers must be an installed package (with a package.json naming it) so every worker can have it' });
  }
  return { spec, name: pkg.name, version: pkg.version ?? null };
}

/**
 * The plugins a run's manifest names: every strategy plugin (its trials run on workers: each must
 * be a package) and each task plugin that is a package (a classifier whose fit runs as a task; a
 * lone file stays off the manifest, and its tasks run on the coordinator's pool), once per package.
 */
export function runPlugins(strategies: Array<{ spec: string; from: string }>, tasks: Array<{ spec: string; from: string }> = []): PluginRef[] {
  const out = new Map<string, PluginRef>();
  for (const p of strategies) {
    const ref = pluginRef(p.spec, p.from);
    out.set(ref.name, out.get(ref.name) ?? ref);
  }
  for (const p of tasks) {
    let ref: PluginRef;
    try {
      ref = pluginRef(p.spec, p.from);
    } catch {
      continue;
    }
    out.set(ref.name, out.get(ref.name) ?? ref);
  }
  return [...out.values()];
}

/** Where a worker finds plugins: its --plugins folder first, then Regimen's own installation. */
export function findInstalled(name: string, from: string): { version: string | null } | null {
  // the package's entry, then its package.json above it (an exports map may not export ./package.json)
  const entry = resolveFrom(name, from) ?? resolveFrom(name, dirname(fileURLToPath(import.meta.url)));
  const pkg = entry ? packageJsonOf(entry) : null;
  if (!pkg || pkg.name !== name) return null;
  return { version: pkg.version ?? null };
}

/** null when this worker can run the manifest's jobs, else the one line saying what differs */
export function refusal(manifest: Pick<RunManifest, 'protocol' | 'regimen' | 'plugins'>, pluginsFrom: string, version = REGIMEN_VERSION): string | null {
  if (manifest.protocol !== PROTOCOL) return `it speaks wire protocol ${PROTOCOL}, the run speaks ${manifest.protocol} (install the coordinator's Regimen version, ${manifest.regimen})`;
  if (manifest.regimen !== version) return `it has Regimen ${version}, the run needs ${manifest.regimen} (install the same version on every worker)`;
  for (const p of manifest.plugins) {
    const have = findInstalled(p.name, pluginsFrom);
    if (!have) return `it lacks plugin ${p.name}${p.version ? `@${p.version}` : ''} (named in the workflow as ${p.spec}; install it where the worker runs, or give --plugins DIR)`;
    if (have.version !== p.version) return `it has plugin ${p.name}@${have.version}, the run needs ${p.name}@${p.version}`;
  }
  return null;
}

/**
 * A module task's module as a worker can find it: the package it is part of (name and version)
 * and its path inside that package, or a package specifier as given. A worker on another machine
 * has its own installation, so an absolute path of the coordinator's means nothing there. Null
 * for a module outside any named package: it can only run on the coordinator's own pool.
 */
export function moduleRef(module: string): TaskModule | null {
  if (!module.startsWith('file:') && !isAbsolute(module)) {
    const name = packageNameOf(module);
    return name ? { package: name, path: null, specifier: module } : null;
  }
  const file = module.startsWith('file:') ? fileURLToPath(module) : module;
  const root = packageRootOf(file);
  if (!root?.name) return null;
  // the package must be one its name finds from where it is (a stray package.json above a loose
  // file, or a copy of a package outside node_modules, is not what a worker would install)
  const found = resolveFrom(root.name, root.dir);
  if (!found || packageRootOf(found)?.dir !== root.dir) return null;
  return { package: root.name, version: root.version ?? null, path: relative(root.dir, file).split(sep).join('/') };
}

export interface TaskModule {
  package: string;
  version?: string | null;
  /** a file inside the package (posix), or null with `specifier` (an export of the package) */
  path: string | null;
  specifier?: string;
}

/** `@scope/name` or `name` of a bare specifier (`@regimen/coordinator/tasks` → `@regimen/coordinator`) */
function packageNameOf(spec: string): string | null {
  const m = /^((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)(\/.*)?$/i.exec(spec);
  return m ? m[1]! : null;
}

function packageRootOf(file: string): { dir: string; name?: string; version?: string } | null {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      // a package.json without a name (a dist folder's `{"type":"module"}`) is not the package
      if (pkg.name) return { dir, name: pkg.name, version: pkg.version };
    }
    if (dir === parse(dir).root) return null;
  }
}

/**
 * Where a worker imports a task's module from: its own installation of the package (Regimen's own
 * packages, or a plugin of the run, found like the run's plugins), of the same version. A module
 * of any other package, or a path leaving its package, is refused: a job names code to run only
 * among what the run may use.
 */
export function resolveTaskModule(ref: TaskModule, manifest: Pick<RunManifest, 'plugins'>, pluginsFrom: string, version = REGIMEN_VERSION): string {
  const fail = (why: string): never => {
    throw regimenError({ code: 'internal', field: 'module', value: ref.specifier ?? `${ref.package}/${ref.path}`, message: `a task's module ${why}` });
  };
  const own = ref.package.startsWith('@regimen/');
  const plugin = manifest.plugins.find((p) => p.name === ref.package);
  if (!own && !plugin) fail(`is of package ${ref.package}, which is neither Regimen's nor a plugin of the run`);
  const here = dirname(fileURLToPath(import.meta.url));
  if (ref.path === null) {
    if (!ref.specifier || packageNameOf(ref.specifier) !== ref.package) fail('names no file and no export of its package');
    const file = resolveFrom(ref.specifier!, pluginsFrom) ?? resolveFrom(ref.specifier!, here);
    return file ?? fail('is not installed on this worker');
  }
  const entry = resolveFrom(ref.package, pluginsFrom) ?? resolveFrom(ref.package, here);
  const root = entry ? packageRootOf(entry) : null;
  if (!root || root.name !== ref.package) return fail(`is of package ${ref.package}, which is not installed on this worker`);
  const want = own ? version : plugin!.version;
  if ((ref.version ?? null) !== (root.version ?? null) || (root.version ?? null) !== want) fail(`is of ${ref.package}@${ref.version}, this worker has ${root.version}`);
  const file = resolve(root.dir, ref.path);
  if (relative(root.dir, file).startsWith('..') || isAbsolute(ref.path)) fail('leaves its package');
  if (!existsSync(file)) fail(`is not in this worker's ${ref.package}@${root.version}`);
  return file;
}
