import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import { fileURLToPath } from 'node:url';

// The real command, killed with SIGKILL: needs the build that `npm ci` makes (missing: a skip, a failure under CI=true).
export const bin = fileURLToPath(new URL('../bin/regimen.js', import.meta.url));
export const built = !requireOrSkip('the built cli', builtMissing(new URL('../dist/index.js', import.meta.url)));

/** Start `regimen run <config> --out <ws>` (one thread) and SIGKILL it as soon as `ready()` holds; resolves when it is dead. */
export function killWhen(config: string, ws: string, ready: () => boolean, extra: string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'run', config, '--out', ws, '--workers', '0', '--quiet', ...extra], { stdio: 'ignore' });
    const poll = setInterval(() => {
      if (ready()) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 5);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`the run ended by itself (code ${code}) before it could be killed`));
    });
  });
}

/** Files in `dir` whose names match `re` (0 when it does not exist yet). */
export const count = (dir: string, re: RegExp) => (existsSync(dir) ? readdirSync(dir).filter((f) => re.test(f)).length : 0);
