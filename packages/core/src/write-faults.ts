import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { RegimenError, type ErrorCode } from './errors.js';

/**
 * The folder a path belongs to, as a user names it: the outermost folder holding a run's lock
 * (`.lock`: a universe's or a walk-forward's top, whose series and folds are folders inside it),
 * else the nearest one with metadata/workflow.json, else none. Only asked when a write failed,
 * so walking up to the root costs nothing that matters.
 */
export function workspaceRootOf(path: string): string | undefined {
  let locked: string | undefined;
  let made: string | undefined;
  for (let d = dirname(resolve(path)); ; d = dirname(d)) {
    if (existsSync(join(d, '.lock'))) locked = d;
    if (!made && existsSync(join(d, 'metadata', 'workflow.json'))) made = d;
    if (dirname(d) === d) break;
  }
  return locked ?? made;
}

/** `performance/trial_x.json` inside a workspace, the absolute path outside one. */
export function workspaceRelative(path: string): string {
  const root = workspaceRootOf(path);
  return root ? relative(root, resolve(path)) : resolve(path);
}

/**
 * A full disk or quota is no fault of the run's input and goes away when space is freed: it
 * stops the run like a lost service (`unavailable`: kept work, resume later) instead of being
 * recorded as a failed trial; any other failed write is the workspace's (permissions, a
 * read-only file system).
 */
const TEMPORARY = new Set(['ENOSPC', 'EDQUOT']);

/** One error value for a failed write: the errno and what the system said, and which file. */
export function writeFailure(path: string, e: unknown): RegimenError {
  if (e instanceof RegimenError) return e;
  const errno = (e as NodeJS.ErrnoException)?.code;
  // Node says `ENOSPC: no space left on device, write`: keep the reason, name the file instead of the syscall
  const said = ((e as Error)?.message ?? String(e)).replace(/, (mkdir|open|write|fsync|close|rename)( '.*'( -> '.*')?)?$/, '');
  const code: ErrorCode = errno && TEMPORARY.has(errno) ? 'unavailable' : 'workspace';
  const advice = code === 'unavailable' ? ' (finished work is kept: free space, then resume)' : '';
  return new RegimenError({ code, message: `${said}, writing ${workspaceRelative(path)}${advice}`, cause: e });
}
