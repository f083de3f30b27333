/**
 * How long an edge keeps an origin answer, as CloudFront decides it with a cache policy whose
 * minimum TTL is 0: the origin's `s-maxage`, else its `max-age`; nothing stored for `no-store`,
 * `no-cache`, `private` or a zero lifetime; the default TTL when the origin gives no lifetime.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Expiration.html
 *
 * The HTTP rules (which directives a shared cache obeys, which one wins) are
 * `http-cache-semantics`'; only CloudFront's default TTL is ours.
 */
import CachePolicy from 'http-cache-semantics';

/** The request every edge sends its origin: a plain GET, no credentials. */
const ORIGIN_REQUEST: CachePolicy.Request = { method: 'GET', headers: {} };
/** A fixed `Date`, so that the lifetime does not depend on the clock. */
const EPOCH = new Date(0);

/**
 * Seconds a shared cache may keep a 200 answer with this Cache-Control; `undefined` when it must
 * not be stored.
 */
export function cacheTtlSec(cacheControl: string | null, defaultTtlSec: number): number | undefined {
  const policy = new CachePolicy(
    ORIGIN_REQUEST,
    {
      status: 200,
      headers: {
        // Directive names are case-insensitive (RFC 9111 §5.2); the library compares them as sent.
        ...(cacheControl ? { 'cache-control': cacheControl.toLowerCase() } : {}),
        // CloudFront's default TTL is what an `Expires` would say: `max-age` and `s-maxage` win
        // over it (RFC 9111 §4.2.1), so it counts only when the origin gives no lifetime.
        date: EPOCH.toUTCString(),
        expires: new Date(EPOCH.getTime() + defaultTtlSec * 1000).toUTCString(),
      },
    },
    // `immutable` alone is no lifetime for CloudFront: no minimum of a day for it.
    { shared: true, immutableMinTimeToLive: 0 },
  );
  if (!policy.storable()) return undefined;
  const seconds = policy.maxAge();
  return seconds > 0 ? seconds : undefined;
}
