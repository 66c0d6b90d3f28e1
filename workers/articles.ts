// `node dist/workers/articles.js [run options]` is `wiresift run --role articles`: one process, one role (src/app/roles.ts).
import { runAsProcess } from '../src/cli.js';

runAsProcess(['run', '--role', 'articles', ...process.argv.slice(2)]);
