import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A webhook receiver for tests on 127.0.0.1: request i is answered by behaviour i (the last one
 * repeats): a status code, `hang` (never answers, so the client's timeout fires), `drop` (closes
 * the connection without an answer) or `redirect` (302 elsewhere). Records every request.
 */
export type Behaviour = number | 'hang' | 'drop' | 'redirect';

export interface Received {
  body: string;
  headers: IncomingHttpHeaders;
  /** ms since the receiver started */
  at: number;
}

export interface TestReceiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export async function testReceiver(behaviours: Behaviour[]): Promise<TestReceiver> {
  const received: Received[] = [];
  const t0 = performance.now();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const i = received.length;
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers, at: performance.now() - t0 });
      const b = behaviours[Math.min(i, behaviours.length - 1)]!;
      if (b === 'hang') return;
      if (b === 'drop') return void req.socket.destroy();
      if (b === 'redirect') return void res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end();
      res.writeHead(b, { 'content-type': 'text/plain' }).end(b < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A loopback port with nothing listening (bound, then closed): connections are refused. */
export async function deadUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((done) => s.close(() => done()));
  return `http://127.0.0.1:${port}/hook`;
}
