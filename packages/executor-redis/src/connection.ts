import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { regimenError } from '@regimen/core';

/**
 * Where Redis is and how to reach it, from a URL:
 *   redis://[user[:password]@]host[:port][/db][?wait=SECONDS]
 *   rediss://…[?tls_ca=FILE]          TLS; tls_ca adds a CA (a self-signed server certificate)
 * A password (and ACL user) may instead come from REGIMEN_REDIS_PASSWORD (REGIMEN_REDIS_USERNAME),
 * which keeps it out of workflow files and process lists. `wait` is how long a coordinator waits
 * for an unreachable Redis before it stops (default 60 s).
 */
export interface RedisTarget {
  /** the URL without its parameters and with any password replaced by ***, for messages */
  display: string;
  options: RedisOptions;
  waitMs: number;
}

const DEFAULT_WAIT_S = 60;
const QUERY_KEYS = ['wait', 'tls_ca'];

export function isRedisUrl(s: string): boolean {
  return /^rediss?:\/\//i.test(s);
}

export function redact(url: string): string {
  return url.replace(/^(rediss?:\/\/)([^@/]*)@/i, (_, scheme: string, auth: string) => `${scheme}${auth.includes(':') ? auth.replace(/:.*/, ':***') : '***'}@`);
}

export function parseRedisUrl(url: string, field = '--executor', env: NodeJS.ProcessEnv = process.env): RedisTarget {
  const bad = (message: string) => regimenError({ code: 'usage', field, value: redact(url), message });
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad('not a URL (redis://host:port or rediss://host:port)');
  }
  const scheme = u.protocol.toLowerCase();
  if (scheme !== 'redis:' && scheme !== 'rediss:') throw bad('the scheme must be redis:// or rediss:// (TLS)');
  if (!u.hostname) throw bad('no host');
  const port = u.port ? Number(u.port) : 6379;
  const path = u.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d+$/.test(path)) throw bad(`the path must be a database number, not "${path}"`);
  for (const k of u.searchParams.keys()) {
    if (!QUERY_KEYS.includes(k)) throw bad(`unknown parameter "${k}" (known: ${QUERY_KEYS.join(', ')})`);
  }
  const waitText = u.searchParams.get('wait');
  const waitS = waitText === null ? DEFAULT_WAIT_S : Number(waitText);
  if (!Number.isFinite(waitS) || waitS <= 0) throw bad('wait must be a positive number of seconds');
  const caFile = u.searchParams.get('tls_ca');
  if (caFile !== null && scheme !== 'rediss:') throw bad('tls_ca needs rediss:// (TLS)');
  let ca: Buffer | undefined;
  if (caFile !== null) {
    try {
      ca = readFileSync(caFile);
    } catch (e) {
      throw bad(`cannot read tls_ca file ${caFile} (${(e as NodeJS.ErrnoException).code})`);
    }
  }
  const username = decodeURIComponent(u.username) || env.REGIMEN_REDIS_USERNAME || undefined;
  const password = decodeURIComponent(u.password) || env.REGIMEN_REDIS_PASSWORD || undefined;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    display: redact(url).replace(/\?.*$/, ''),
    waitMs: waitS * 1000,
    options: {
      host,
      port,
      db: path ? Number(path) : 0,
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      // SNI carries host names only (RFC 6066); a certificate for an IP is checked against the IP
      ...(scheme === 'rediss:' ? { tls: { ...(isIP(host) ? {} : { servername: host }), ...(ca ? { ca } : {}) } } : {}),
    },
  };
}

/**
 * A connection for BullMQ and for the coordinator's own keys: commands wait through a reconnect
 * (BullMQ's workers require maxRetriesPerRequest: null), and reconnects are retried every
 * half second at most, forever: how long to wait is decided by whoever uses the connection.
 */
export function connect(target: RedisTarget, name: string): Redis {
  const client = new Redis({
    ...target.options,
    connectionName: name,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(50 * times, 500),
    // a wrong password or a missing ACL permission does not heal by reconnecting
    reconnectOnError: () => false,
  });
  // connection errors surface where commands wait on them; unheard, ioredis would print each one
  client.on('error', () => {});
  return client;
}

/** An error Redis answers when the credentials are wrong: no point in waiting for it. */
export function isAuthError(e: unknown): boolean {
  return /WRONGPASS|NOAUTH|NOPERM|invalid password|invalid username/i.test((e as Error)?.message ?? '');
}
