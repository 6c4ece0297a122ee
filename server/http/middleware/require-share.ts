// For /shared/:token/… routes: the review a share link opens, or the one 404 for every way a token can fail, and
// an address that keeps guessing is slowed down (429). The token is the only credential and grants nothing else.
import { createMiddleware } from 'hono/factory';
import { clientAddress } from '../../auth/client-address.ts';
import { createThrottle } from '../../auth/throttle.ts';
import { hashToken } from '../../auth/tokens.ts';
import { findReview, type ReviewRow } from '../../store/reviews.ts';
import { useShare } from '../../store/shares.ts';
import type { AppEnv } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';

/** Tokens are 32 base32 characters (160 bits, see auth/tokens.ts). */
const TOKEN_SHAPE = /^[a-z2-7]{32}$/;
const NOT_SHARED = 'This share link does not work: it may be mistyped, expired or revoked';
/** Failed lookups per address and window before 429. */
const GUESSES = { maxAttempts: 30, windowMs: 10 * 60_000 };

export type ShareEnv = AppEnv & { Variables: { review: ReviewRow; organizationId: string } };

/** One guard per app, not per module: two servers in one process keep their own counts of guesses. */
export function createShareGuard() {
  const guesses = createThrottle(GUESSES);
  /** When the share link of a request expires (for the page to say so). */
  const expiries = new WeakMap<Request, Date>();
  const requireShare = createMiddleware<ShareEnv>(async (c, next) => {
    const ip = clientAddress(c);
    const wait = guesses.retryAfter(ip);
    if (wait > 0)
      throw new ApiError(429, 'Too many attempts with share links. Try again later.', [], {
        'retry-after': String(wait),
      });
    const token = c.req.param('token') ?? '';
    const { sql, now } = c.var.deps;
    const share = TOKEN_SHAPE.test(token) ? await useShare(sql, hashToken(token), now()) : undefined;
    const review = share ? await findReview(sql, share.reviewId) : undefined;
    if (!share || !review) {
      guesses.recordFailure(ip);
      throw notFound(NOT_SHARED);
    }
    c.set('review', review);
    c.set('organizationId', review.organizationId);
    expiries.set(c.req.raw, share.expiresAt);
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    await next();
  });
  return { requireShare, expiryOf: (request: Request) => expiries.get(request) };
}
