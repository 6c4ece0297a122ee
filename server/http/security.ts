// Cross-site request refusal (Origin allowlist) and the security headers, CSP included.
import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import type { AppEnv } from './context.ts';
import { ApiError, forbidden } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isAllowedOrigin(origin: string | undefined, allowed: readonly string[]): boolean {
  return origin !== undefined && allowed.includes(origin);
}

/**
 * State changes riding on the session cookie must come from our own pages. A request that names a
 * foreign Origin is refused even without a cookie (that covers login CSRF); scripts that use a
 * Bearer token and no cookie send no Origin and pass.
 */
export const refuseCrossSiteRequests = createMiddleware<AppEnv>(async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method)) {
    const origin = c.req.header('origin');
    const allowed = c.var.deps.config.allowedOrigins;
    const hasCookie = (c.req.header('cookie') ?? '').includes(`${SESSION_COOKIE}=`);
    if (origin !== undefined ? !isAllowedOrigin(origin, allowed) : hasCookie) {
      throw forbidden('Cross-site request refused: the Origin header is missing or not allowed');
    }
  }
  await next();
});

/** The largest JSON body the API reads: far above any real request (a reading, a review, a batch of 1,000 ids). */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/**
 * Request bodies are bounded before anyone reads them, the anonymous sign-in routes included: a declared length
 * above the limit is refused at once, and a body without one (chunked) is refused as soon as it passes the limit,
 * so the server never buffers more than `maxBytes` of it. `exempt` names routes with a larger limit of their own
 * (CSV imports, after their access check).
 */
export function limitRequestBodies(maxBytes: number, exempt: (path: string) => boolean): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, `The request body is larger than ${maxBytes / 1024 / 1024} MB`);
    },
  });
  return async (c, next) => (exempt(c.req.path) ? next() : limit(c, next));
}

/** `scriptHashes` are the CSP hashes of the inline scripts in the built index.html. */
export function securityHeaders(scriptHashes: readonly string[]): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", ...scriptHashes.map((hash) => `'${hash}'`)],
      // Svelte transitions and SvelteKit's root element set inline styles.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      workerSrc: ["'self'", 'blob:'],
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: 'strict-origin-when-cross-origin',
    strictTransportSecurity: 'max-age=15552000; includeSubDomains',
    xFrameOptions: 'DENY',
  });
}
