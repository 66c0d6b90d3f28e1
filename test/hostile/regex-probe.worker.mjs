// Runs regexes against pumped inputs built from their own literal pieces, the way ReDoS
// scanners do, and reports each input before running it so the parent can name the one
// that hangs (it terminates this thread past its deadline). Plain JS: worker threads do
// not go through the test runner's TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';

const CLASS_REPS = {
  s: ' ',
  S: 'a',
  d: '1',
  D: 'a',
  w: 'a',
  W: ' ',
  b: '',
  B: '',
  n: '\n',
  t: '\t',
  r: '\r',
};

/** Literal runs and representative characters of a regex source. */
export function piecesOf(source) {
  const runs = [];
  const chars = new Set();
  let run = '';
  const flush = () => {
    if (run) runs.push(run);
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const d = source[++i] ?? '';
      if (d in CLASS_REPS) {
        flush();
        if (CLASS_REPS[d]) chars.add(CLASS_REPS[d]);
      } else if (d === 'p' || d === 'P') {
        flush();
        chars.add(d === 'p' ? 'a' : ' ');
        if (source[i + 1] === '{') i = source.indexOf('}', i);
      } else if (d === 'u' || d === 'x') {
        flush();
        if (source[i + 1] === '{') i = source.indexOf('}', i);
        else i += d === 'u' ? 4 : 2;
      } else {
        run += d;
        chars.add(d);
      }
    } else if (c === '[') {
      flush();
      let j = i + 1;
      const negated = source[j] === '^';
      if (negated) j++;
      let first = '';
      while (j < source.length && source[j] !== ']') {
        if (source[j] === '\\') {
          const d = source[j + 1] ?? '';
          if (!first) first = CLASS_REPS[d] ?? d;
          j += 2;
        } else {
          if (!first) first = source[j];
          j++;
        }
      }
      if (negated) chars.add(first === 'a' ? '!' : 'a');
      else if (first) chars.add(first);
      i = j;
    } else if ('()|?*+{}^$.'.includes(c)) {
      flush();
      if (c === '{') i = Math.max(i, source.indexOf('}', i));
      if (c === '.') chars.add('a');
      if (c === '(' && source[i + 1] === '?') {
        // skip the group's modifier: ?:, ?=, ?!, ?<=, ?<!, ?<name>
        i++;
        if (source[i + 1] === '<' && source[i + 2] !== '=' && source[i + 2] !== '!')
          i = source.indexOf('>', i);
        else i += source[i + 1] === '<' ? 2 : 1;
      }
    } else {
      run += c;
      chars.add(c);
    }
  }
  flush();
  const tokens = [...new Set([...runs.map((r) => r.slice(0, 12)), ...chars, ' ', 'a', '<', '-'])].filter(
    Boolean,
  );
  return tokens.slice(0, 14);
}

function* inputsFor(source, sizes) {
  const tokens = piecesOf(source);
  const lead = tokens[0] ?? '';
  const tail = '\u0001!\n';
  for (const [k, t] of tokens.entries()) {
    // Megabyte inputs for the leading pieces only: a scan that is linear at 100 KB for
    // every piece and at 1 MB for these is linear; the big ones mostly cost time.
    for (const size of k < 4 ? [sizes.pair, ...sizes.big] : [sizes.pair]) {
      const body = t.repeat(Math.ceil(size / t.length));
      yield { desc: `${JSON.stringify(t)}×${body.length}`, text: body + tail };
      yield { desc: `${JSON.stringify(lead)}+${JSON.stringify(t)}×${body.length}`, text: lead + body + tail };
    }
  }
  // Pairs of the first pieces: literal runs come first, and two of them alternating is
  // what makes overlapping quantifiers backtrack.
  const few = tokens.slice(0, 8);
  for (const a of few)
    for (const b of few) {
      if (a === b) continue;
      const unit = a + b;
      const body = unit.repeat(Math.ceil(sizes.pair / unit.length));
      yield { desc: `${JSON.stringify(unit)}×${body.length}`, text: body + tail };
      yield {
        desc: `${JSON.stringify(lead)}+${JSON.stringify(unit)}×${body.length}`,
        text: lead + body + tail,
      };
    }
}

function run(re, text) {
  re.lastIndex = 0;
  if (re.global) text.replace(re, '');
  else re.test(text);
}

const { sites, sizes } = workerData;
for (const site of sites) {
  let re;
  try {
    re = new RegExp(site.source, site.flags);
  } catch (err) {
    parentPort.postMessage({ type: 'skip', id: site.id, reason: String(err) });
    continue;
  }
  let worst = { ms: 0, desc: '' };
  for (const input of inputsFor(site.source, sizes)) {
    parentPort.postMessage({ type: 'start', id: site.id, desc: input.desc });
    const t0 = performance.now();
    run(re, input.text);
    const ms = performance.now() - t0;
    if (ms > worst.ms) worst = { ms, desc: input.desc };
  }
  parentPort.postMessage({ type: 'done', id: site.id, worstMs: worst.ms, worstDesc: worst.desc });
}
parentPort.postMessage({ type: 'end' });
