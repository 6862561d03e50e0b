import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { regimenError } from '@regimen/core';

/**
 * Regimen's own packages as a new plugin package gets them. They are not on a public registry, so
 * `npm install` of `@regimen/core@^0.1.0` would fail with E404. Instead the packages the plugin
 * needs (core; the test kit, dev only) and the Regimen packages those depend on are packed from
 * the installation that runs `plugin new` — a git checkout or an installed `regimen` alike — into
 * the plugin's `vendor/`, and named there as `file:vendor/<tarball>`. Tarballs rather than
 * `file:` links into the installation: the plugin keeps working when the checkout moves, is
 * rebuilt or is deleted, and `npm install` copies exactly what a published package would hold.
 */
export const VENDOR_DIR = 'vendor';

export interface Vendored {
  /** package name → `file:vendor/<tarball>`, for every packed package */
  specs: Record<string, string>;
  /** the version of @regimen/core packed (the range to use once Regimen is published) */
  version: string;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}

const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/**
 * The folder of an installed package as Node would find it from `from`: the first
 * node_modules/<name> up the tree (a workspace link resolves to packages/<x> in a checkout).
 */
export function packageDir(name: string, from: string): string {
  for (let d = from; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(d) === d) throw regimenError({ code: 'internal', value: name, message: `cannot find Regimen's package ${name} from ${from}; is this installation complete?` });
  }
}

/** `names` and every @regimen package they depend on, each with its folder, dependencies first. */
export function regimenClosure(names: string[], from = dirname(fileURLToPath(import.meta.url))): Array<{ name: string; dir: string }> {
  const out = new Map<string, string>();
  const visit = (name: string, start: string) => {
    if (out.has(name)) return;
    const dir = packageDir(name, start);
    for (const dep of Object.keys(readManifest(dir).dependencies ?? {})) if (dep.startsWith('@regimen/')) visit(dep, dir);
    out.set(name, dir);
  };
  for (const n of names) visit(n, from);
  return [...out].map(([name, dir]) => ({ name, dir }));
}

/**
 * Pack `names` (and their @regimen dependencies) into `<root>/vendor/` with `npm pack`, which
 * applies each package's `files` exactly as publishing would. A package without its built
 * JavaScript (a checkout that was never built) is refused: its tarball would not load.
 */
export function vendorRegimen(root: string, names: string[], from?: string): Vendored {
  const packages = regimenClosure(names, from);
  for (const p of packages) {
    const main = join(p.dir, 'dist', 'index.js');
    if (!existsSync(main)) throw regimenError({ code: 'usage', file: main, message: `${p.name} is not built; run \`npm run build\` in the Regimen checkout first` });
  }
  const dest = join(root, VENDOR_DIR);
  mkdirSync(dest, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['pack', ...packages.map((p) => p.dir), '--pack-destination', dest, '--ignore-scripts', '--json', '--loglevel=error'], {
    cwd: root,
    encoding: 'utf8',
    // an npm run by a test or by `npm exec` passes its own settings down; pack needs none of them
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_config_') || k === 'npm_config_cache')),
  });
  if (r.error || r.status !== 0) {
    const why = r.error?.message ?? (r.stderr.split('\n').find((l) => l.trim()) || `exit code ${r.status}`);
    throw regimenError({ code: 'usage', value: 'npm pack', message: `could not pack Regimen's packages into ${dest}: ${why}` });
  }
  const packed = JSON.parse(r.stdout) as Array<{ name: string; filename: string }>;
  const specs: Record<string, string> = {};
  for (const p of packed) specs[p.name] = `file:${VENDOR_DIR}/${p.filename}`;
  return { specs, version: readManifest(packages.find((p) => p.name === '@regimen/core')!.dir).version };
}
