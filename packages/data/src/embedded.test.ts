import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EMBEDDED_DEFAULT, EMBEDDED_FILES, embeddedDataPath } from './embedded.js';

describe('embedded data', () => {
  it('resolves every embedded file inside the package, with provenance beside it', () => {
    for (const name of EMBEDDED_FILES) {
      const p = embeddedDataPath(name);
      expect(existsSync(p)).toBe(true);
      expect(p.endsWith(join('packages', 'data', 'embedded', name))).toBe(true);
      const readme = readFileSync(join(dirname(p), 'README.md'), 'utf8');
      expect(readme).toContain(`## \`${name}\``);
    }
    expect(embeddedDataPath()).toBe(embeddedDataPath(EMBEDDED_DEFAULT));
  });
  it('refuses other names', () => {
    expect(() => embeddedDataPath('../package.json')).toThrow(/no embedded data file/);
  });
});
