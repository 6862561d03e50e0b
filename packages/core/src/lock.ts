import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { regimenError } from './errors.js';
import { ensureDir } from './io.js';

/**
 * One run per workspace: `<workspace>/.lock` is created exclusively (O_EXCL) and holds the pid.
 * A lock whose process is gone (same host, pid not alive) is stale: it is reported and taken over.
 */
export interface WorkspaceLock {
  path: string;
  /** the pid of a stale lock that was taken over, if any */
  staleFrom?: number;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockWorkspace(base: string): WorkspaceLock {
  const path = join(base, '.lock');
  const body = JSON.stringify({ pid: process.pid, host: hostname(), started_at: new Date().toISOString() }) + '\n';
  let staleFrom: number | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, body);
      closeSync(fd);
      let released = false;
      return {
        path,
        staleFrom,
        release() {
          if (released) return;
          released = true;
          rmSync(path, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw regimenError({ code: 'workspace', file: path, message: `cannot create the workspace lock (${(e as NodeJS.ErrnoException).code})` });
      }
      let owner: { pid?: number; host?: string; started_at?: string } = {};
      try {
        owner = JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        // a lock file cut short by a crash between create and write: treat as stale
      }
      if (owner.pid && owner.host === hostname() && alive(owner.pid) && owner.pid !== process.pid) {
        throw regimenError({ code: 'workspace', file: path, message: `another run (pid ${owner.pid}, started ${owner.started_at}) is using this workspace` });
      }
      if (owner.host && owner.host !== hostname()) {
        throw regimenError({ code: 'workspace', file: path, message: `locked by a run on host ${owner.host} (pid ${owner.pid}); remove the file if that run is gone` });
      }
      staleFrom = owner.pid ?? -1;
      rmSync(path, { force: true });
    }
  }
  throw regimenError({ code: 'workspace', file: path, message: 'could not take the workspace lock' });
}

/** Create a workspace's folder and lock it; a stale lock taken over is said through `info`. */
export function claimWorkspace(base: string, info: (message: string) => void): WorkspaceLock {
  try {
    ensureDir(base);
  } catch (e) {
    throw regimenError({ code: 'workspace', file: base, message: `cannot create the workspace (${(e as NodeJS.ErrnoException).code})` });
  }
  const lock = lockWorkspace(base);
  if (lock.staleFrom !== undefined) info(`took over a stale lock left by pid ${lock.staleFrom} (that run is gone)`);
  return lock;
}
