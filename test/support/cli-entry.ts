// Runs the CLI from source (as bin/wiresift.js runs it from dist/), for tests that spawn it.
import { main } from '../../src/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`wiresift: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
