import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Whether a test that needs an outside tool (redis-server, Chromium, python3 with numpy, a built
 * dist/) should skip: `missing` says why it is absent, or is null when it is there. On a
 * developer's machine a missing tool skips the test; under CI=true it throws instead, so the
 * suite fails with the reason — a CI without the tool is red, never green by skipping.
 *
 *   describe.skipIf(requireOrSkip('redis-server', redisServerMissing()))('…', () => { … });
 */
export function requireOrSkip(tool: string, missing: string | null): boolean {
  if (missing === null) return false;
  if (process.env.CI === 'true') throw new Error(`${tool} is required under CI=true: ${missing}`);
  return true;
}

/** Why a built file is absent (null when it exists): `npm run build` makes every package's dist/. */
export function builtMissing(...files: URL[]): string | null {
  const absent = files.map((u) => fileURLToPath(u)).filter((p) => !existsSync(p));
  return absent.length ? `not built: ${absent.join(', ')} (npm run build)` : null;
}

/** Debian's Python, which the independent references are run with (.ci/run installs its packages). */
export const PYTHON = '/usr/bin/python3';

/** Why Debian's python3 cannot import `modules` (null when it can): python3-numpy and the like. */
export function pythonMissing(...modules: string[]): string | null {
  const r = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} is not installed (apt-get install -y python3)`;
  return r.status === 0 ? null : `${PYTHON} cannot import ${modules.join(', ')} (apt-get install -y ${modules.map((m) => `python3-${m}`).join(' ')})`;
}
