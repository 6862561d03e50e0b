#!/usr/bin/env node
// Thin launcher: the CLI is built to dist by `npm ci` (root `prepare`) or `npm run build`.
import { main } from '../dist/index.js';

// `regimen inspect big.arrow | head`: a closed pipe ends the output quietly, as in any Unix tool
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}
process.exitCode = await main(process.argv);
