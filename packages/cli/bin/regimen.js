#!/usr/bin/env node
// Thin launcher: the CLI is built to dist by `npm ci` (root `prepare`) or `npm run build`.
import { main } from '../dist/index.js';
process.exitCode = await main(process.argv);
