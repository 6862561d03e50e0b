#!/usr/bin/env node
// Run the CLI from TypeScript sources without a build (for development):
//   node --conditions=@regimen/source --import tsx tools/regimen-dev.mjs <args>
const { main } = await import('../packages/cli/src/index.ts');
process.exitCode = await main(process.argv);
