// Runs the CLI from source (as bin/wiresift.js runs it from dist/), for tests that spawn it.
import { runAsProcess } from '../../src/cli.js';

runAsProcess(process.argv.slice(2));
