/**
 * Loads the whole worker (every role's module graph, so every runtime
 * dependency), then prints how much slower a string method called on a
 * string is than the same builtin called through Function.prototype.call.
 * In a healthy V8 the two run alike. Once any object has String.prototype as
 * its prototype (ioredis 6's `class VerbatimString extends String` did it at
 * import), V8 no longer inlines `str.charCodeAt()` and friends: 2-5x slower
 * in every tokeniser and parser of the process.
 */
import '../../src/cli.js';
import '../../src/bench/bench-command.js';

const charCodeAt = String.prototype.charCodeAt;
const texts = Array.from({ length: 200 }, (_, i) => `dépêche ${i} de l'AFP, mise à jour ${i * 31}`);

function viaMethod(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

function viaCall(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + charCodeAt.call(s, i)) | 0;
  return h;
}

function best(fn: (s: string) => number): number {
  let sink = 0;
  let n = 0;
  const t0 = performance.now();
  do {
    for (const t of texts) sink ^= fn(t);
    n++;
  } while (performance.now() - t0 < 100);
  if (sink === 0.5) console.log(sink);
  return (performance.now() - t0) / n;
}

let method = Number.POSITIVE_INFINITY;
let call = Number.POSITIVE_INFINITY;
for (let round = 0; round < 8; round++) {
  method = Math.min(method, best(viaMethod));
  call = Math.min(call, best(viaCall));
}
console.log(JSON.stringify({ slowdown: method / call }));
