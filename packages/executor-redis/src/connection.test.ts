import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRedisUrl, parseRedisUrl, redact } from './connection.js';

describe('Redis URLs', () => {
  it('reads host, port, database, ACL user and password', () => {
    const t = parseRedisUrl('redis://alice:s%40cret@db.example:6380/2', '--executor', {});
    expect(t.options).toEqual({ host: 'db.example', port: 6380, db: 2, username: 'alice', password: 's@cret' });
    expect(t.display).toBe('redis://alice:***@db.example:6380/2');
    expect(t.waitMs).toBe(60_000);
    expect(parseRedisUrl('redis://[::1]', '--executor', {}).options).toEqual({ host: '::1', port: 6379, db: 0 });
  });

  it('takes the password from the environment when the URL has none', () => {
    const t = parseRedisUrl('redis://h:1', '--executor', { REGIMEN_REDIS_PASSWORD: 'pw', REGIMEN_REDIS_USERNAME: 'bob' });
    expect(t.options).toMatchObject({ username: 'bob', password: 'pw' });
    expect(parseRedisUrl('redis://:given@h:1', '--executor', { REGIMEN_REDIS_PASSWORD: 'pw' }).options.password).toBe('given');
  });

  it('turns on TLS for rediss://, with a CA file when given, and reads the wait', () => {
    const dir = mkdtempSync(join(tmpdir(), 'regimen-ca-'));
    writeFileSync(join(dir, 'ca.pem'), 'PEM');
    const t = parseRedisUrl(`rediss://h:6390?tls_ca=${join(dir, 'ca.pem')}&wait=2.5`, '--executor', {});
    expect(t.options.tls).toEqual({ servername: 'h', ca: Buffer.from('PEM') });
    expect(t.waitMs).toBe(2500);
    expect(t.display).toBe('rediss://h:6390');
    expect(parseRedisUrl('rediss://h', '--executor', {}).options.tls).toEqual({ servername: 'h' });
  });

  it('rejects a bad URL with one line naming the field and hiding the password', () => {
    const cases: Array<[string, RegExp]> = [
      ['http://h', /scheme must be redis:\/\/ or rediss:\/\//],
      ['redis://', /not a URL|no host/],
      ['redis://h/x', /database number, not "x"/],
      ['redis://h?timeout=3', /unknown parameter "timeout" \(known: wait, tls_ca\)/],
      ['redis://h?wait=0', /wait must be a positive number/],
      ['redis://h?tls_ca=/x.pem', /tls_ca needs rediss:\/\//],
      ['rediss://h?tls_ca=/nonexistent/ca.pem', /cannot read tls_ca file \/nonexistent\/ca\.pem \(ENOENT\)/],
    ];
    for (const [url, message] of cases) {
      expect(() => parseRedisUrl(url, 'workflow.executor', {}), url).toThrow(message);
    }
    const err = (() => {
      try {
        parseRedisUrl('redis://u:topsecret@h/x', 'workflow.executor', {});
      } catch (e) {
        return e as Error & { value: unknown };
      }
    })();
    expect(err).toMatchObject({ code: 'usage', field: 'workflow.executor', value: 'redis://u:***@h/x' });
    expect(JSON.stringify({ ...err, message: err!.message })).not.toContain('topsecret');
    expect(redact('redis://u:topsecret@h:1/0')).toBe('redis://u:***@h:1/0');
    expect(redact('rediss://:topsecret@h')).toBe('rediss://:***@h');
    expect(redact('redis://justuser@h')).toBe('redis://***@h');
    expect(isRedisUrl('REDIS://h')).toBe(true);
    expect(isRedisUrl('local')).toBe(false);
  });
});
