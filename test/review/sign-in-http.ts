/** Sign-in over real HTTP, the way a browser does it: GET the form (CSRF cookie + field), POST the token. */

export const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');

/** The sign-in form's CSRF cookie and field, fetched once and reusable for many posts. */
export async function loginForm(base: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/review/login`, { headers });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]!;
  return { csrf, cookie: cookiesOf(res) };
}

/** POSTs the token; the response body is consumed (an unread body keeps the server from closing). */
export async function signInOver(
  base: string,
  token: string,
  headers: Record<string, string> = {},
  form?: { csrf: string; cookie: string },
): Promise<Response> {
  const f = form ?? (await loginForm(base, headers));
  const res = await fetch(`${base}/review/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: f.csrf, token }).toString(),
  });
  await res.arrayBuffer();
  return res;
}

/** The session cookie ("wiresift_review=…") a successful sign-in set. */
export function sessionCookie(res: Response): string {
  const c = res.headers.getSetCookie().find((v) => v.startsWith('wiresift_review='));
  if (!c) throw new Error(`no session cookie (status ${res.status})`);
  return c.split(';')[0]!;
}
