import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';

/**
 * Serves the reviewer and auditor web console (built by `npm run build:console` into dist/console) at /console.
 * Every asset comes from here: no CDN, no inline script or style, so the Content-Security-Policy can be strict.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** Names carrying an esbuild content hash never change content, so browsers may keep them for a year. */
const HASHED = /-[A-Z0-9]{8,}\.(js|css)(\.map)?$/;

/** dist/console seen from src/console (ts-run: tests, tsx) or from dist/src/console (compiled). */
export function defaultConsoleDir(): string {
  const candidates = [join(__dirname, '..', '..', 'console'), join(__dirname, '..', '..', 'dist', 'console')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[candidates.length - 1];
}

export function consoleRouter(dir: string = defaultConsoleDir()): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });

  // Read once: the page is tiny and only changes with a new build (and a restart).
  let index: string | undefined;
  const page = (): string | undefined => {
    if (index === undefined && existsSync(join(dir, 'index.html')))
      index = readFileSync(join(dir, 'index.html'), 'utf8');
    return index;
  };
  router.get(['/', '/index.html'], (_req, res) => {
    const html = page();
    if (!html) {
      res
        .status(503)
        .type('text/plain')
        .set('Cache-Control', 'no-store')
        .send('The console is not built: run `npm run build:console`.\n');
      return;
    }
    // The shell must be revalidated so a new build's hashed assets are picked up at once.
    res.status(200).type('html').set('Cache-Control', 'no-cache').send(html);
  });

  router.use(
    express.static(dir, {
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders: (res, path) => {
        res.setHeader(
          'Cache-Control',
          HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
        );
      },
    }),
  );
  return router;
}
