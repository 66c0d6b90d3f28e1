#!/usr/bin/env node
import { main } from '../dist/src/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    console.error(`wiresift: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
