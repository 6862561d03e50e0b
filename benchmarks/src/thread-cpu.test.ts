import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { isMainThread, Worker } from 'node:worker_threads';
import { mainThreadCpuSeconds } from './thread-cpu.js';

const processCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

// the test must run on its process's main thread (vitest's default pool of forks)
describe.skipIf(!existsSync('/proc/self/task') || !isMainThread)('the main thread\'s own CPU time', () => {
  it('counts this thread\'s work and not a worker thread\'s', async () => {
    // spin until this thread has used 0.3 s of CPU (by wall time a busy machine gives less)
    const a = mainThreadCpuSeconds()!;
    for (const t0 = Date.now(); mainThreadCpuSeconds()! - a < 0.3 && Date.now() - t0 < 30_000; );
    const b = mainThreadCpuSeconds()!;
    expect(b - a).toBeGreaterThanOrEqual(0.3);
    // a worker uses 0.5 s of CPU while this thread waits: the process's CPU grows, the main thread's hardly
    const p0 = processCpu();
    await new Promise((resolve, reject) => {
      const w = new Worker('const c = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; }; const s = c(); const t0 = Date.now(); while (c() - s < 0.5 && Date.now() - t0 < 30000);', { eval: true });
      w.on('exit', resolve);
      w.on('error', reject);
    });
    const c = mainThreadCpuSeconds()!;
    expect(processCpu() - p0).toBeGreaterThan(0.45);
    expect(c - b).toBeLessThan(0.25);
  });
});
