import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallWorkflow } from '@regimen/coordinator';
import { cli } from '../test/harness.js';

describe('regimen run --out a folder of the user\'s', () => {
  it('is refused with one line and exit 2, writing nothing; --force writes there', async () => {
    const { config } = smallWorkflow({ bars: 600 });
    const notes = mkdtempSync(join(tmpdir(), 'regimen-notes-'));
    writeFileSync(join(notes, 'report.html'), '<p>my own report</p>');
    mkdirSync(join(notes, 'ideas'));
    const r = await cli('run', config, '--out', notes, '--workers', '0', '--quiet', '--no-report');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: ${notes}: not empty (ideas, report.html) and not a Regimen workspace (no metadata/workflow.json): choose another --out, or --force to write here anyway\n`);
    expect(readdirSync(notes).sort()).toEqual(['ideas', 'report.html']);
    const forced = await cli('run', config, '--out', notes, '--workers', '0', '--quiet', '--no-report', '--force');
    expect(forced.code, forced.err).toBe(0);
    expect(readdirSync(notes)).toEqual(expect.arrayContaining(['ideas', 'metadata', 'performance']));
  }, 30_000);
});
