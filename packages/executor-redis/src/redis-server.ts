import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { regimenError } from '@regimen/core';

/**
 * A throwaway Redis for tests and benchmarks: Debian's `redis-server` on a free loopback port,
 * without persistence (`--save '' --appendonly no`), stopped by `stop()`. `restart()` kills it
 * and starts an empty one on the same port — what a Redis without persistence looks like after
 * a crash. Extra arguments (a password, TLS) go to the command line as given.
 */
export interface LocalRedis {
  readonly port: number;
  readonly url: string;
  /** the server process's id, while it runs (benchmarks read its CPU from /proc) */
  readonly pid: number | undefined;
  /** SIGKILL the server */
  kill(): Promise<void>;
  /** start it again (empty) on the same port */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** why Redis tests are skipped, or null when `redis-server` is on PATH */
export function redisServerMissing(): string | null {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'redis-server is not installed (apt-get install -y redis-server; .ci/run installs it)';
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startLocalRedis(opts: { args?: string[]; port?: number; scheme?: 'redis' | 'rediss' } = {}): Promise<LocalRedis> {
  const missing = redisServerMissing();
  if (missing) throw regimenError({ code: 'usage', field: 'redis-server', message: missing });
  const port = opts.port ?? (await freePort());
  const tls = opts.scheme === 'rediss';
  // with TLS the plain port is closed and the TLS port is the one given
  const portArgs = tls ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)];
  const args = [...portArgs, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(opts.args ?? [])];
  let child: ChildProcess | undefined;
  let log = '';
  const start = () =>
    new Promise<void>((resolve, reject) => {
      log = '';
      const c = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      const onData = (d: Buffer) => {
        log += d.toString();
        if (/Ready to accept connections/.test(log)) resolve();
      };
      c.stdout!.on('data', onData);
      c.stderr!.on('data', onData);
      c.on('error', reject);
      c.on('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready: ${log.slice(-300)}`)));
    });
  const kill = () =>
    new Promise<void>((resolve) => {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  await start();
  return {
    port,
    url: `${opts.scheme ?? 'redis'}://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    kill,
    start,
    stop: kill,
  };
}
