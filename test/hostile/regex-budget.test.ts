import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { type RegexSite, regexLiteralsUnder, sourceFiles } from '../support/regex-literals.js';

const ROOT = join(import.meta.dirname, '..', '..');
// An input gets this long before its regex counts as hanging. A linear scan of the
// largest input (1 MB) takes milliseconds even on a loaded machine; a quadratic or
// exponential one runs for seconds to hours.
const DEADLINE_MS = 3000;
const SIZES = { pair: 100_000, big: [1_000_000] };

interface Probe extends RegexSite {
  id: number;
}

/** Regexes that `new RegExp(...)` builds at module load, caught by a constructor proxy. */
async function constructedAtImport(): Promise<RegexSite[]> {
  const seen: RegexSite[] = [];
  const Original = globalThis.RegExp;
  globalThis.RegExp = new Proxy(Original, {
    construct(target, args) {
      const re = Reflect.construct(target, args) as RegExp;
      // Only our own constructions: dependencies build theirs on their own (trusted) inputs.
      const caller = new Error().stack?.split('\n')[2] ?? '';
      if (!caller.includes(join(ROOT, 'src'))) return re;
      seen.push({ file: '(new RegExp at import)', line: 0, source: re.source, flags: re.flags });
      return re;
    },
  });
  try {
    for (const f of sourceFiles(join(ROOT, 'src'))) {
      // Entry points and thread bodies run on import; their regexes are literals anyway.
      if (/(cli|worker|bench)[/.]|cli\.ts$/.test(f.replaceAll('\\', '/'))) continue;
      await import(f);
    }
  } finally {
    globalThis.RegExp = Original;
  }
  return seen;
}

function probe(
  sites: Probe[],
): Promise<{ hung: string[]; worst: { site: Probe; ms: number; desc: string }[] }> {
  const hung: string[] = [];
  const worst: { site: Probe; ms: number; desc: string }[] = [];
  const byId = new Map(sites.map((s) => [s.id, s]));
  return new Promise((resolve, reject) => {
    const startAt = (from: number) => {
      const rest = sites.slice(from);
      if (!rest.length) return resolve({ hung, worst });
      const w = new Worker(new URL('./regex-probe.worker.mjs', import.meta.url), {
        workerData: { sites: rest, sizes: SIZES },
      });
      let current: { id: number; desc: string } | null = null;
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const s = current && byId.get(current.id);
          hung.push(`${s?.file}:${s?.line} /${s?.source}/${s?.flags} on ${current?.desc}`);
          void w.terminate();
          const idx = sites.findIndex((x) => x.id === current?.id);
          startAt(idx + 1);
        }, DEADLINE_MS);
      };
      arm();
      w.on('message', (m: { type: string; id: number; desc: string; worstMs: number; worstDesc: string }) => {
        if (m.type === 'start') current = { id: m.id, desc: m.desc };
        else if (m.type === 'done') {
          const site = byId.get(m.id);
          if (site) worst.push({ site, ms: m.worstMs, desc: m.worstDesc });
        } else if (m.type === 'end') {
          clearTimeout(timer);
          void w.terminate();
          resolve({ hung, worst });
          return;
        }
        arm();
      });
      w.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    };
    startAt(0);
  });
}

describe('every regex of src/ runs in linear time on hostile input', () => {
  it('no regex hangs on pumped inputs of 100 KB – 1 MB built from its own pieces', {
    timeout: 300_000,
  }, async () => {
    const literals = regexLiteralsUnder(join(ROOT, 'src'), ROOT);
    const constructed = await constructedAtImport();
    const unique = new Map<string, RegexSite>();
    for (const s of [...literals, ...constructed]) {
      const key = `/${s.source}/${s.flags}`;
      if (!unique.has(key)) unique.set(key, s);
    }
    const sites = [...unique.values()].map((s, id) => ({ ...s, id }));
    // The lexer must actually find the regexes: a broken scan would pass vacuously.
    expect(literals.length).toBeGreaterThan(100);
    const { hung, worst } = await probe(sites);
    worst.sort((a, b) => b.ms - a.ms);
    console.log(
      `[regex budget] ${sites.length} regexes; slowest:\n` +
        worst
          .slice(0, 5)
          .map(
            (w) =>
              `  ${w.ms.toFixed(1)} ms ${w.site.file}:${w.site.line} /${w.site.source.slice(0, 60)}/ on ${w.desc}`,
          )
          .join('\n'),
    );
    expect(hung).toEqual([]);
  });
});
