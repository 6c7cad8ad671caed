#!/usr/bin/env node
// Entry point for the `axc` bin: loads the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';
register();
const { main, guardStdout } = await import('../cli/main.ts');
guardStdout();
process.exitCode = await main(process.argv.slice(2));
