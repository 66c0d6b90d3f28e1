import { request } from 'node:http';

export type RawResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

/**
 * One request with the path exactly as given: fetch() and fastify's inject()
 * both parse the URL first, which resolves dot segments and `//` before the
 * server ever sees them.
 */
export function rawRequest(
  base: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const hex = (c: string, upper: boolean) => {
  const h = c.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${upper ? h.toUpperCase() : h.toLowerCase()}`;
};

/**
 * Spellings of one path that a router which decodes before matching may take
 * for the same route: each letter of each literal segment percent-encoded
 * (upper- and lower-case hex), whole segments encoded, double encoding,
 * encoded and doubled slashes, dot segments and backslashes.
 */
export function pathSpellings(path: string, literalSegments: number): string[] {
  const segs = path.split('/').slice(1);
  const out = new Set<string>();
  const join = (s: string[]) => `/${s.join('/')}`;
  for (let i = 0; i < Math.min(literalSegments, segs.length); i++) {
    const seg = segs[i]!;
    for (let j = 0; j < seg.length; j++) {
      for (const upper of [true, false]) {
        const s = [...segs];
        s[i] = seg.slice(0, j) + hex(seg[j]!, upper) + seg.slice(j + 1);
        out.add(join(s));
      }
      const s = [...segs];
      // double encoding: %25 + the hex of the letter
      s[i] = `${seg.slice(0, j)}%25${hex(seg[j]!, true).slice(1)}${seg.slice(j + 1)}`;
      out.add(join(s));
    }
    const whole = [...segs];
    whole[i] = [...seg].map((c, k) => hex(c, k % 2 === 0)).join('');
    out.add(join(whole));
  }
  const [first, ...rest] = segs;
  out.add(`/${first}%2F${rest.join('/')}`);
  out.add(`/${first}%2f${rest.join('/')}`);
  out.add(`/${first}%5C${rest.join('/')}`);
  out.add(`/${first}\\${rest.join('/')}`);
  out.add(`/${join(segs)}`);
  out.add(`/${first}//${rest.join('/')}`);
  out.add(`/./${segs.join('/')}`);
  out.add(`/x/../${segs.join('/')}`);
  out.add(`/%2e/${segs.join('/')}`);
  out.add(`/x/%2E%2E/${segs.join('/')}`);
  out.add(`/${first}/./${rest.join('/')}`);
  if (rest.length) out.add(`/${first}/${rest[0]}/../${rest.join('/')}`);
  out.add(`${join(segs)}/.`);
  out.delete(path);
  return [...out];
}
