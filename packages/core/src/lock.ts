import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { regimenError } from './errors.js';
import { refuseForeignFolder } from './foreign-folder.js';
import { ensureDir } from './io.js';
import { sweepTempFiles } from './temp-files.js';

/**
 * One run per workspace: `<workspace>/.lock` is created exclusively (O_EXCL) and holds the pid.
 * A lock whose process is gone (same host, pid dead or a zombie) is stale: it is reported and
 * taken over.
 */
export interface WorkspaceLock {
  path: string;
  /** a stale lock that was taken over, if any: its pid (-1: unreadable) and why it was stale */
  stale?: { pid: number; why: StaleReason };
  release(): void;
}

/** `dead`: no such process; `zombie`: it exited (a SIGKILL) but its parent has not reaped it yet; `unreadable`: the lock was cut short */
export type StaleReason = 'dead' | 'zombie' | 'unreadable';

/**
 * Whether a pid is a running process. `kill(pid, 0)` succeeds for a zombie too — a process
 * killed by SIGKILL stays one until its parent reaps it, seconds under a busy shell or
 * supervisor — so on Linux its state in /proc/<pid>/stat decides (`Z` zombie, `X` dead).
 */
export function processState(pid: number): 'alive' | 'dead' | 'zombie' {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return 'dead';
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 'alive'; // no /proc (not Linux): kill(0) is all there is to go on
  }
  // `pid (comm) S …`: comm may hold spaces and parentheses, so the state follows the last `)`
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' ? 'zombie' : state === 'X' ? 'dead' : 'alive';
}

export function lockWorkspace(base: string): WorkspaceLock {
  const path = join(base, '.lock');
  const body = JSON.stringify({ pid: process.pid, host: hostname(), started_at: new Date().toISOString() }) + '\n';
  let stale: WorkspaceLock['stale'];
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, body);
      } catch (e) {
        // a full disk: no empty lock left behind for the next run to puzzle over
        closeSync(fd);
        rmSync(path, { force: true });
        throw e;
      }
      closeSync(fd);
      let released = false;
      return {
        path,
        ...(stale ? { stale } : {}),
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
      if (owner.host && owner.host !== hostname()) {
        throw regimenError({ code: 'workspace', file: path, message: `locked by a run on host ${owner.host} (pid ${owner.pid}); remove the file if that run is gone` });
      }
      const state = owner.pid ? (owner.pid === process.pid ? 'dead' : processState(owner.pid)) : 'dead';
      if (state === 'alive') {
        throw regimenError({ code: 'workspace', file: path, message: `another run (pid ${owner.pid}, started ${owner.started_at}) is using this workspace` });
      }
      stale = owner.pid ? { pid: owner.pid, why: state } : { pid: -1, why: 'unreadable' };
      rmSync(path, { force: true });
    }
  }
  throw regimenError({ code: 'workspace', file: path, message: 'could not take the workspace lock' });
}

const STALE_SAYS: Record<StaleReason, string> = {
  dead: 'that process is gone',
  zombie: 'that process is a zombie: it was killed and has not been reaped yet',
  unreadable: 'the lock file was cut short',
};

/**
 * Create a workspace's folder and lock it; a stale lock taken over is said through `info`, and
 * the temp files of writes that failed or were killed (in its series and folds too) are swept. A
 * non-empty folder that is not a workspace is refused before anything is written, unless `force`.
 */
export function claimWorkspace(base: string, info: (message: string) => void, opts: { force?: boolean } = {}): WorkspaceLock {
  if (!opts.force) refuseForeignFolder(base);
  try {
    ensureDir(base);
  } catch (e) {
    throw regimenError({ code: 'workspace', file: base, message: `cannot create the workspace (${(e as NodeJS.ErrnoException).code})` });
  }
  const lock = lockWorkspace(base);
  if (lock.stale) info(`took over a stale lock left by pid ${lock.stale.pid} (${STALE_SAYS[lock.stale.why]})`);
  // with the lock held no other run writes here: every temp file is a failed or killed write's
  const swept = sweepTempFiles(base);
  if (swept.length) info(`removed ${swept.length} temp file${swept.length === 1 ? '' : 's'} left by failed or killed writes`);
  return lock;
}
