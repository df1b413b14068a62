import type { RequestHandler } from 'express';

/** Nothing an API answer holds is meant to run, be framed or be sniffed into another type by a browser. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Security headers on every answer, errors included (this runs first). The console sets its own, stricter-for-pages
 * CSP over this one; the API description pages (/docs) load Swagger UI's scripts and styles, so they get no CSP here.
 */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (!req.path.startsWith('/docs') && !req.path.startsWith('/console'))
      res.setHeader('Content-Security-Policy', API_CSP);
    // Screening answers name people and sanctions hits: no shared or browser cache may keep them.
    if (req.path.startsWith('/v1/')) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
