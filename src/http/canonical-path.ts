import type { FastifyReply, FastifyRequest } from 'fastify';

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * Why the path of a raw request URL is not canonical, or null when it is.
 *
 * The router decodes percent-escapes before it matches, so `/%72eview` reaches
 * the `/review` routes, and proxies, caches and logs in front of us may each
 * read such a path differently. No link we emit is ever spelled that way, so
 * only a broken client or an attacker sends one: a percent-encoded unreserved
 * character (RFC 3986 says never encode those), a `%25` (an encoded `%`: double
 * encoding, and no route of ours has a `%` in it), an encoded `/` or `\`,
 * control characters, `//`, `\` or dot segments. The query string is not judged.
 *
 * Auth never relies on this (each plugin decides by the route it matched); it
 * closes the whole class of "another spelling of a protected path".
 */
export function nonCanonicalReason(rawUrl: string): string | null {
  const end = rawUrl.search(/[?#]/);
  const path = end === -1 ? rawUrl : rawUrl.slice(0, end);
  if (!path.startsWith('/')) return 'the path must start with "/"';
  if (path.includes('\\')) return 'a backslash in the path';
  if (path.includes('//')) return 'an empty path segment ("//")';
  for (let i = path.indexOf('%'); i !== -1; i = path.indexOf('%', i + 1)) {
    const hex = path.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return 'a malformed percent-escape';
    const code = Number.parseInt(hex, 16);
    const char = String.fromCharCode(code);
    if (UNRESERVED.test(char)) return `a percent-encoded unreserved character ("%${hex}" is "${char}")`;
    if (char === '%') return 'an encoded "%" (double encoding)';
    if (char === '/' || char === '\\') return 'an encoded path separator';
    if (code < 0x20 || code === 0x7f) return 'an encoded control character';
  }
  for (const seg of path.split('/')) if (seg === '.' || seg === '..') return 'a dot segment ("." or "..")';
  return null;
}

/**
 * A root onRequest hook: a non-canonical path gets a 400 that says why. No
 * redirect to the canonical form: it would echo an attacker's path back as a
 * Location, and no browser following our own links ever needs one.
 */
export async function refuseNonCanonicalPath(req: FastifyRequest, reply: FastifyReply) {
  const reason = nonCanonicalReason(req.url);
  if (!reason) return;
  return reply
    .code(400)
    .header('cache-control', 'no-store')
    .send({ error: `http: non-canonical path refused: ${reason}; use the path as the server links it` });
}
