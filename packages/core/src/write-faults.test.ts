import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isRegimenError, formatError, stopsRun } from './errors.js';
import { writeFileAtomic, writeJsonAtomic } from './io.js';

// The injected failing writer: writeSync of a temp file whose target matches `failing` throws the
// errno a full disk (or a read-only file system) throws. Everything else is the real node:fs.
// With `short`, the first write takes half the bytes (as write(2) does when a disk fills up) and
// only the next one fails.
let failing: { target: RegExp; errno: string; text: string; short?: boolean } | null = null;
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const paths = new Map<number, string>();
  return {
    ...real,
    openSync: (p: string, ...rest: never[]) => {
      const fd = (real.openSync as (...a: unknown[]) => number)(p, ...rest);
      paths.set(fd, String(p));
      return fd;
    },
    writeSync: (fd: number, ...rest: never[]) => {
      const p = paths.get(fd) ?? '';
      if (failing && failing.target.test(p)) {
        if (failing.short) {
          failing = { ...failing, short: false };
          const [data, offset = 0, length] = rest as unknown as [Uint8Array, number?, number?];
          return real.writeSync(fd, data, offset, Math.max(1, Math.floor((length ?? data.length - offset) / 2)));
        }
        throw Object.assign(new Error(`${failing.errno}: ${failing.text}, write`), { code: failing.errno, syscall: 'write' });
      }
      return (real.writeSync as (...a: unknown[]) => number)(fd, ...rest);
    },
  };
});

afterEach(() => {
  failing = null;
});

/** A workspace whose manifest exists, as a run's is: the frame errors are named against. */
function workspace(): string {
  const ws = mkdtempSync(join(tmpdir(), 'regimen-faults-'));
  mkdirSync(join(ws, 'metadata'), { recursive: true });
  mkdirSync(join(ws, 'performance'), { recursive: true });
  writeFileSync(join(ws, 'metadata', 'workflow.json'), '{}\n');
  return ws;
}

const tempFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('a write that fails', () => {
  it('names the file relative to its workspace, removes its temp file and keeps the old content (full disk)', () => {
    const ws = workspace();
    const target = join(ws, 'performance', 'ensemble_trial_hmm-0a1b2c3d.json');
    writeJsonAtomic(target, { old: true });
    failing = { target: /ensemble_trial_/, errno: 'ENOSPC', text: 'no space left on device' };
    let caught: unknown;
    try {
      writeJsonAtomic(target, { new: true });
    } catch (e) {
      caught = e;
    }
    expect(isRegimenError(caught)).toBe(true);
    expect(formatError(caught)).toBe(
      'error: ENOSPC: no space left on device, writing performance/ensemble_trial_hmm-0a1b2c3d.json (finished work is kept: free space, then resume)',
    );
    // a full disk stops the run (resume later), it is not a failed trial
    expect(stopsRun(caught)).toBe(true);
    expect(tempFiles(join(ws, 'performance'))).toEqual([]);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ old: true });
  });

  it('a short write that a full disk then refuses never leaves a cut file in place', () => {
    const ws = workspace();
    const target = join(ws, 'performance', 'trial_a.json');
    failing = { target: /trial_a/, errno: 'ENOSPC', text: 'no space left on device', short: true };
    expect(() => writeJsonAtomic(target, { long: 'x'.repeat(1000) })).toThrow('ENOSPC: no space left on device, writing performance/trial_a.json');
    expect(readdirSync(join(ws, 'performance'))).toEqual([]);
  });

  it('names the file from the outermost locked folder: a series of a universe', () => {
    const top = workspace();
    writeFileSync(join(top, '.lock'), '{}\n');
    const series = join(top, 'series', 'GE');
    mkdirSync(join(series, 'metadata'), { recursive: true });
    writeFileSync(join(series, 'metadata', 'workflow.json'), '{}\n');
    writeFileSync(join(series, '.lock'), '{}\n');
    failing = { target: /trial_/, errno: 'EROFS', text: 'read-only file system' };
    let caught: unknown;
    try {
      writeFileAtomic(join(series, 'signals', 'trial_x.arrow'), new Uint8Array([1, 2, 3]));
    } catch (e) {
      caught = e;
    }
    expect(formatError(caught)).toBe('error: EROFS: read-only file system, writing series/GE/signals/trial_x.arrow');
    expect((caught as { code: string }).code).toBe('workspace');
    expect(stopsRun(caught)).toBe(false);
    expect(tempFiles(join(series, 'signals'))).toEqual([]);
  });

  it('creates missing folders only when needed; a file where a folder must be is one error naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'regimen-folders-'));
    writeFileAtomic(join(dir, 'a', 'b', 'c.txt'), 'made');
    writeFileAtomic(join(dir, 'a', 'b', 'd.txt'), 'there');
    expect(readFileSync(join(dir, 'a', 'b', 'c.txt'), 'utf8')).toBe('made');
    expect(readdirSync(join(dir, 'a', 'b')).sort()).toEqual(['c.txt', 'd.txt']);
    writeFileSync(join(dir, 'f'), '');
    let caught: unknown;
    try {
      writeFileAtomic(join(dir, 'f', 'g.txt'), 'x');
    } catch (e) {
      caught = e;
    }
    expect(isRegimenError(caught)).toBe(true);
    expect(formatError(caught)).toContain(`writing ${join(dir, 'f', 'g.txt')}`);
  });

  it('outside any workspace names the absolute path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'regimen-plain-'));
    failing = { target: /labels/, errno: 'ENOSPC', text: 'no space left on device' };
    expect(() => writeFileAtomic(join(dir, 'labels.csv'), 'a\n')).toThrow(`writing ${join(dir, 'labels.csv')}`);
    expect(tempFiles(dir)).toEqual([]);
  });
});

// A real full disk, where the machine lets us make one: a 64 KiB tmpfs (needs root; the
// injected writer above is the portable proof).
const root = process.getuid?.() === 0 && process.platform === 'linux';
describe.skipIf(!root)('a write to a really full disk (tmpfs)', () => {
  it('fails with ENOSPC naming the file, and leaves no temp file', () => {
    const mnt = mkdtempSync(join(tmpdir(), 'regimen-tmpfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      rmSync(mnt, { recursive: true, force: true });
      return; // a container without the mount capability: the injected writer stands
    }
    try {
      mkdirSync(join(mnt, 'metadata'));
      writeFileSync(join(mnt, 'metadata', 'workflow.json'), '{}\n');
      // the real fs, not the injected one: vi.mock only swaps what io.ts calls, and `failing` is null
      expect(() => writeFileAtomic(join(mnt, 'performance', 'trial_big.json'), new Uint8Array(256 * 1024))).toThrow(
        /^ENOSPC: no space left on device, writing performance\/trial_big\.json/,
      );
      expect(fs.readdirSync(join(mnt, 'performance'))).toEqual([]);
    } finally {
      execFileSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  });
});
