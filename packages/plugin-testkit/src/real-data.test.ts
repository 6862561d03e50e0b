import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EMBEDDED_FILES, embeddedDataPath } from '@regimen/data';
import { realDataPath, TEST_DATA_FILES } from './real-data.js';

describe('realDataPath', () => {
  it('finds every test series in the kit, with its provenance in the README beside it', () => {
    for (const name of TEST_DATA_FILES) {
      const p = realDataPath(name);
      expect(p.endsWith(join('packages', 'plugin-testkit', 'data', name))).toBe(true);
      expect(readFileSync(join(dirname(p), 'README.md'), 'utf8')).toContain(`## \`${name}\``);
      expect(statSync(p).size).toBeGreaterThan(0);
    }
  });
  it('finds the embedded series where @regimen/data keeps them, not in a second copy', () => {
    for (const name of EMBEDDED_FILES) expect(realDataPath(name)).toBe(embeddedDataPath(name));
    expect(EMBEDDED_FILES.filter((name) => (TEST_DATA_FILES as readonly string[]).includes(name))).toEqual([]);
  });
  it('refuses other names', () => {
    expect(() => realDataPath('../package.json' as never)).toThrow(/no real data file of that name/);
  });
});
