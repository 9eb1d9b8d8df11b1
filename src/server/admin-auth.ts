// Bearer-token check for /admin/*. Both sides are hashed first so that timingSafeEqual always compares
// equal-length buffers: neither the token's content nor its length leaks through response timing.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export function bearerMatches(header: string | undefined, expectedToken: string): boolean {
  if (typeof header !== 'string' || expectedToken === '') return false;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  const given = match?.[1] ?? '';
  // Compare even when the header is malformed, so that case costs the same time as a wrong token.
  const equal = timingSafeEqual(digest(given), digest(expectedToken));
  return equal && given !== '';
}
