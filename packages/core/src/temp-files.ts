import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The temp file of an atomic write: `.<name>.<pid>.<8 hex>.tmp` beside its target (earlier
 * versions wrote `.<name>.<pid>.tmp`). A write that fails removes its own; a process killed
 * mid-write leaves one, which the next run in the workspace sweeps (sweepTempFiles).
 */
export function tempFileFor(path: string): string {
  tempCount = (tempCount + 1) >>> 0;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${tempCount.toString(16).padStart(8, '0')}.tmp`);
}

// The 8 hex digits: a random start per thread, then counted up — unique within the thread, and
// across threads and processes as the random start was before, without a crypto call per file
// (phase 1 names thousands of temp files).
let tempCount = randomBytes(4).readUInt32BE(0);

// two patterns, not one with an optional part: a greedy name would swallow the pid and read the
// random part (8 hex digits may all be digits) as the pid
const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;
const OLD_TEMP_FILE = /^\..+\.(\d+)\.tmp$/;

/** The pid in a temp file's name, or undefined when the name is not one of ours. */
export function tempFileOwner(name: string): number | undefined {
  const m = TEMP_FILE.exec(name) ?? OLD_TEMP_FILE.exec(name);
  return m ? Number(m[1]) : undefined;
}

/**
 * The temp files of failed or killed writes anywhere under `dir` (a workspace with its series and
 * folds): only names of the temp pattern, and never this process's own (a write of ours may be in
 * flight). Symbolic links are not followed.
 */
export function findTempFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return; // gone or unreadable: nothing of ours there
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const pid = tempFileOwner(e.name);
        if (pid !== undefined && pid !== process.pid) found.push(p);
      }
    }
  };
  walk(dir);
  return found;
}

/**
 * Remove what findTempFiles finds. The caller holds the workspace's lock, so no other run writes
 * there and every such file is garbage. Returns the removed paths.
 */
export function sweepTempFiles(dir: string): string[] {
  const found = findTempFiles(dir);
  for (const p of found) rmSync(p, { force: true });
  return found;
}
