// `node dist/workers/scheduler.js [run options]` is `wiresift run --role scheduler`: one process, one role (src/app/roles.ts).
import { runAsProcess } from '../src/cli.js';

runAsProcess(['run', '--role', 'scheduler', ...process.argv.slice(2)]);
