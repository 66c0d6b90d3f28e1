// `node dist/workers/web.js [run options]` is `wiresift run --role web`: one process, one role (src/app/roles.ts).
import { runAsProcess } from '../src/cli.js';

runAsProcess(['run', '--role', 'web', ...process.argv.slice(2)]);
