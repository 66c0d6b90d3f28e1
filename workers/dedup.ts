// `node dist/workers/dedup.js [run options]` is `wiresift run --role dedup`: one process, one role (src/app/roles.ts).
import { runAsProcess } from '../src/cli.js';

runAsProcess(['run', '--role', 'dedup', ...process.argv.slice(2)]);
