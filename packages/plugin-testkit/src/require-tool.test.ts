import { afterEach, describe, expect, it } from 'vitest';
import { builtMissing, pythonMissing, requireOrSkip } from './require-tool.js';

describe('requireOrSkip', () => {
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
  });

  it('runs a test whose tool is there, skips it when missing, and fails it under CI=true', () => {
    delete process.env.CI;
    expect(requireOrSkip('redis-server', null)).toBe(false);
    expect(requireOrSkip('redis-server', 'redis-server is not installed')).toBe(true);
    process.env.CI = 'true';
    expect(requireOrSkip('redis-server', null)).toBe(false);
    expect(() => requireOrSkip('redis-server', 'redis-server is not installed')).toThrow('redis-server is required under CI=true: redis-server is not installed');
  });

  it('names what is not built, and what python3 cannot import', () => {
    expect(builtMissing(new URL(import.meta.url))).toBeNull();
    expect(builtMissing(new URL('./no-such-file.js', import.meta.url))).toMatch(/^not built: .*no-such-file\.js \(npm run build\)$/);
    expect(pythonMissing('no_such_module_regimen')).toMatch(/python3/);
    expect(pythonMissing('json')).toBeNull();
  });
});
