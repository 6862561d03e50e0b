// A vitest setup file, loaded only when REGIMEN_TEST_CPU names a file (vitest.config.ts): for each
// test file, one JSON line with the CPU it used — this fork's threads (pool threads included) and
// the child processes it reaped (spawned CLIs, regimen workers, Chromium) — and its wall time.
// Wall time on a shared machine says more about the load than about the test; CPU seconds move
// little with the load, so a before/after of a test file can be compared at any load.
import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll } from 'vitest';

/** CPU seconds of this process's reaped children: cutime + cstime of /proc/self/stat (Linux; 0 elsewhere) */
function childrenSeconds() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return 0;
  }
}

const own = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
// from here (before the test file is imported: its imports count) to its last afterAll
const start = { own: own(), children: childrenSeconds(), wall: performance.now() };

// eslint-disable-next-line no-empty-pattern -- vitest passes the suite second; the first must be a pattern
afterAll(({}, suite) => {
  const line = {
    file: suite?.file?.filepath ?? suite?.filepath,
    cpu: +(own() - start.own + childrenSeconds() - start.children).toFixed(2),
    self: +(own() - start.own).toFixed(2),
    children: +(childrenSeconds() - start.children).toFixed(2),
    wall: +((performance.now() - start.wall) / 1000).toFixed(2),
    load: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
  };
  appendFileSync(process.env.REGIMEN_TEST_CPU, JSON.stringify(line) + '\n');
});
