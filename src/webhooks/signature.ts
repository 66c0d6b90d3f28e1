import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Deliveries are signed as Miniflux signs its webhooks: the hex HMAC-SHA256
 * of the raw request body, keyed with the endpoint's secret, in a header
 * (X-Wiresift-Signature). A receiver recomputes it over the bytes it got,
 * before parsing them, and compares in constant time.
 */
export const SIGNATURE_HEADER = 'x-wiresift-signature';
export const EVENT_TYPE_HEADER = 'x-wiresift-event-type';
/** Stable across the retries of one delivery: a receiver drops repeats by it. */
export const DELIVERY_HEADER = 'x-wiresift-delivery';

export function signBody(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** True when `signature` is the body's signature under `secret` (what a receiver checks). */
export function verifySignature(
  secret: string,
  body: Buffer | string,
  signature: string | undefined,
): boolean {
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signBody(secret, body), 'hex'), Buffer.from(signature, 'hex'));
}
