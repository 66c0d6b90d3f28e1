import type { FastifyInstance } from 'fastify';
import { EDITOR_TOKEN } from './seed.js';

export type Cookies = Record<string, string>;

export function collect(jar: Cookies, setCookie: string | string[] | undefined) {
  for (const c of [setCookie ?? []].flat()) {
    const [pair] = c.split(';');
    const [k, v] = pair!.split('=');
    jar[k!] = v ?? '';
  }
}
export const cookieHeader = (jar: Cookies) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** Signs in the way a browser does: GET the form (cookie + CSRF field), POST the token. */
export async function signIn(
  app: FastifyInstance,
  token = EDITOR_TOKEN,
): Promise<{ jar: Cookies; status: number }> {
  const jar: Cookies = {};
  const form = await app.inject({ url: '/review/login' });
  collect(jar, form.headers['set-cookie']);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const r = await app.inject({
    method: 'POST',
    url: '/review/login',
    headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, token }).toString(),
  });
  collect(jar, r.headers['set-cookie']);
  return { jar, status: r.statusCode };
}
