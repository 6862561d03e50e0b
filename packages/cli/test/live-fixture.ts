import { afterEach, beforeAll } from 'vitest';
import { paperWorkspace, testReceiver, type Behaviour, type TestReceiver } from '@regimen/live';

export interface LiveFixture {
  dir: string;
  ws: string;
  later(k: number): string;
}

/**
 * For CLI tests of `regimen signal`/`regimen paper`: the live package's small real workspace (made
 * once per file) and loopback webhook receivers, each closed after its test.
 */
export function useLiveFixture(): { fx: () => LiveFixture; receiver: (b: Behaviour[]) => Promise<TestReceiver> } {
  let fx: LiveFixture | undefined;
  const open: TestReceiver[] = [];
  beforeAll(async () => {
    fx = await paperWorkspace();
  }, 120_000);
  afterEach(async () => {
    for (const r of open.splice(0)) await r.close();
  });
  return {
    fx: () => fx!,
    receiver: async (b) => {
      const r = await testReceiver(b);
      open.push(r);
      return r;
    },
  };
}
