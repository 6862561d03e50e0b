import { vi } from 'vitest';
import { main } from '../src/index.js';

/**
 * Run the CLI in-process, as `regimen <args>`, and capture what it prints (stdout through
 * console.log or process.stdout, stderr through process.stderr). For the CLI's own tests.
 */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += a.join(' ') + '\n'));
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    return { code: await main(['node', 'regimen', ...args]), out, err };
  } finally {
    log.mockRestore();
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
