// `node dist/workers/feeds.js [run options]` is `wiresift run --role feeds`: one process, one role (src/app/roles.ts).
import { runAsProcess } from '../src/cli.js';

runAsProcess(['run', '--role', 'feeds', ...process.argv.slice(2)]);
