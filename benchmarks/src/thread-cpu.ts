import { readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system) of this process's main thread alone: the coordinator's own work,
 * against process.cpuUsage(), which counts every thread (pool workers, GC helpers, libuv). Node 20
 * has no per-thread CPU call, so it is read from Linux's /proc/self/task/<pid>/stat (the main
 * thread's id is the process id; times in clock ticks of 1/100 s). Null where there is no /proc.
 */
export function mainThreadCpuSeconds(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // fields after the command name (which may hold spaces, in parentheses): state is field 3
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime (14) + stime (15)
    return Number.isFinite(ticks) ? ticks / 100 : null;
  } catch {
    return null;
  }
}
