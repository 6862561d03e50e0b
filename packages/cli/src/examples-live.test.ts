import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from './index.js';

const program = await buildProgram();

const dir = fileURLToPath(new URL('../../../examples/live/', import.meta.url));

/** Every `regimen.js <command> …` line in a file: the command path and the flags it uses. */
function invocations(text: string): Array<{ path: string[]; flags: string[] }> {
  return [...text.matchAll(/regimen\.js ((?:[a-z-]+ )+)([^\n;|&>]*)/g)].map((m) => {
    const words = m[1]!.trim().split(' ');
    return { path: words, flags: [...m[2]!.matchAll(/(--[a-z-]+)/g)].map((f) => f[1]!) };
  });
}

describe('examples/live: the scheduler files call commands and options that exist', () => {
  for (const file of ['regimen-paper.service', 'crontab']) {
    it(file, () => {
      const calls = invocations(readFileSync(dir + file, 'utf8'));
      expect(calls.length).toBeGreaterThan(0);
      for (const c of calls) {
        let cmd: Command = program;
        for (const word of c.path) {
          const sub = cmd.commands.find((x) => x.name() === word);
          if (!sub) break;
          cmd = sub;
        }
        expect(['paper', 'status', 'signal']).toContain(cmd.name());
        const known = cmd.options.map((o) => o.long);
        for (const f of c.flags) expect(known, `${c.path.join(' ')} ${f}`).toContain(f);
      }
    });
  }
});
