// Cross-site request refusal (Origin allowlist) and the security headers, CSP included.
import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import type { AppEnv } from './context.ts';
import { forbidden } from './errors.ts';

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
