import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimWorkspace, lockWorkspace, processState } from './lock.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** A lock as a run on this host writes it, for `pid`. */
function lockedBy(pid: number): string {
  const ws = mkdtempSync(join(tmpdir(), 'regimen-lock-'));
  writeFileSync(join(ws, '.lock'), JSON.stringify({ pid, host: hostname(), started_at: '2026-01-01T00:00:00.000Z' }) + '\n');
  return ws;
}

/**
 * A zombie: the inner shell exits once its parent has exec'd `sleep` (it waits for that, so the
 * outer shell cannot reap it first), and `sleep` never waits for children — so the exited shell
 * stays a zombie, unreaped, until the sleep ends. Its pid is printed first. Resolves when /proc
 * says it is a zombie.
 */
async function zombie(): Promise<number> {
  const inner = 'until [ "$(cat /proc/$PPID/comm)" = sleep ]; do sleep 0.02; done';
  const child = spawn('sh', ['-c', `sh -c '${inner}' & echo $!; exec sleep 30`], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  const pid = await new Promise<number>((resolve) => child.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
  for (let i = 0; i < 1000 && processState(pid) !== 'zombie'; i++) await new Promise((r) => setTimeout(r, 10));
  return pid;
}

const linux = process.platform === 'linux';

describe('the workspace lock', () => {
  it.skipIf(!linux)('takes over the lock of a zombie (killed, not yet reaped) and says so with its pid', async () => {
    const pid = await zombie();
    expect(processState(pid)).toBe('zombie');
    // kill(pid, 0) alone calls it alive: that was the bug
    expect(() => process.kill(pid, 0)).not.toThrow();
    const ws = lockedBy(pid);
    const said: string[] = [];
    const lock = claimWorkspace(ws, (m) => said.push(m));
    expect(lock.stale).toEqual({ pid, why: 'zombie' });
    expect(said).toEqual([`took over a stale lock left by pid ${pid} (that process is a zombie: it was killed and has not been reaped yet)`]);
    expect(JSON.parse(readFileSync(join(ws, '.lock'), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over the lock of a dead pid and says so with its pid', async () => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    const pid = child.pid!;
    await new Promise((r) => child.on('exit', r)); // reaped by Node: the pid is gone
    expect(processState(pid)).toBe('dead');
    const ws = lockedBy(pid);
    const said: string[] = [];
    const lock = claimWorkspace(ws, (m) => said.push(m));
    expect(lock.stale).toEqual({ pid, why: 'dead' });
    expect(said).toEqual([`took over a stale lock left by pid ${pid} (that process is gone)`]);
    lock.release();
    expect(existsSync(join(ws, '.lock'))).toBe(false);
  });

  it('refuses while the pid is a live run, naming it', () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(child);
    expect(processState(child.pid!)).toBe('alive');
    const ws = lockedBy(child.pid!);
    expect(() => lockWorkspace(ws)).toThrow(`another run (pid ${child.pid}, started 2026-01-01T00:00:00.000Z) is using this workspace`);
  });
});

describe('a folder that is not a workspace', () => {
  it('is refused with one line, unless forced, and nothing is written there', () => {
    const notes = mkdtempSync(join(tmpdir(), 'regimen-notes-'));
    writeFileSync(join(notes, 'todo.md'), '- buy milk\n');
    mkdirSync(join(notes, 'analysis'));
    expect(() => claimWorkspace(notes, () => {})).toThrow(/not empty \(todo\.md\) and not a Regimen workspace .*--force/);
    expect(readdirSync(notes).sort()).toEqual(['analysis', 'todo.md']);
    // the names a run uses, without the metadata/ a run makes first, are the user's too
    const own = mkdtempSync(join(tmpdir(), 'regimen-own-'));
    mkdirSync(join(own, 'analysis'));
    writeFileSync(join(own, 'report.html'), '<p>mine</p>');
    expect(() => claimWorkspace(own, () => {})).toThrow(/not empty \(report\.html\) and not a Regimen workspace/);
    rmSync(join(own, 'report.html'));
    expect(() => claimWorkspace(own, () => {})).toThrow(/not empty \(analysis\) and not a Regimen workspace/);
    const lock = claimWorkspace(notes, () => {}, { force: true });
    lock.release();
  });

  it('is fine empty, as a workspace, or as what a run killed before its manifest left', () => {
    const empty = mkdtempSync(join(tmpdir(), 'regimen-empty-'));
    claimWorkspace(empty, () => {}).release();
    claimWorkspace(join(empty, 'new', 'deeper'), () => {}).release();
    const made = mkdtempSync(join(tmpdir(), 'regimen-made-'));
    mkdirSync(join(made, 'metadata'));
    writeFileSync(join(made, 'metadata', 'workflow.json'), '{}\n');
    writeFileSync(join(made, 'notes.md'), 'mine\n'); // a workspace may hold the user's notes too
    claimWorkspace(made, () => {}).release();
    const cut = mkdtempSync(join(tmpdir(), 'regimen-cut-'));
    for (const d of ['signals', 'performance', 'metadata']) mkdirSync(join(cut, d));
    writeFileSync(join(cut, 'metadata', '.config.yaml.4242.tmp'), 'x');
    writeFileSync(join(cut, '.lock'), JSON.stringify({ pid: 999999999, host: hostname() }));
    const said: string[] = [];
    claimWorkspace(cut, (m) => said.push(m)).release();
    expect(said).toEqual(['took over a stale lock left by pid 999999999 (that process is gone)', 'removed 1 temp file left by failed or killed writes']);
    expect(readdirSync(join(cut, 'metadata'))).toEqual([]);
  });
});
