import { afterEach, beforeAll } from 'vitest';

export interface LiveFixture {
  dir: string;
  ws: string;
  later(k: number): string;
}

type Behaviour = number | 'hang' | 'drop' | 'redirect';
interface Receiver {
  url: string;
  received: Array<{ body: string; headers: Record<string, string | string[] | undefined> }>;
  close(): Promise<void>;
}

/**
 * For CLI tests of `regimen signal`/`regimen paper`: the live package's small real workspace (made
 * once per file) and loopback webhook receivers, each closed after its test.
 */
export function useLiveFixture(): { fx: () => LiveFixture; receiver: (b: Behaviour[]) => Promise<Receiver> } {
  let fx: LiveFixture | undefined;
  const open: Receiver[] = [];
  beforeAll(async () => {
    const { paperWorkspace } = await import('../../live/src/test-paper-workspace.js');
    fx = await paperWorkspace();
  }, 120_000);
  afterEach(async () => {
    for (const r of open.splice(0)) await r.close();
  });
  return {
    fx: () => fx!,
    receiver: async (b) => {
      const { testReceiver } = await import('../../live/src/test-receiver.js');
      const r = await testReceiver(b);
      open.push(r);
      return r;
    },
  };
}
