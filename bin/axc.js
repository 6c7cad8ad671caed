#!/usr/bin/env node
// Entry point for the `axc` bin: loads the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';
register();
// A reader that stops early (`axc compile --help | head`) closes the pipe: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
