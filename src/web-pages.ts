import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The pages the server serves to browsers: GraphiQL at /ide and the live console at /console.
 *
 * Everything they load comes from this server: the pages and their small scripts from `web/`, the
 * libraries from installed npm packages (browser builds that ship inside them, no build step), so they
 * work on a closed network. A Content-Security-Policy tells the browser the same: no script, style,
 * font, image or connection to any other host.
 */
export interface WebPagesOptions {
  ide: boolean;
  console: boolean;
}

type Page = keyof WebPagesOptions;

/**
 * What the pages load, by the name it is served under (/assets/<name>), and which pages need it. Only
 * these files, never a directory of node_modules. GraphiQL 4 is the last major release that ships a
 * browser-ready bundle (graphiql.min.js, with React as a global); React 18 the last with UMD builds.
 */
const ASSETS: Record<string, { from: { pkg: string; file: string } | { own: string }; type: string; pages: Page[] }> = {
  'react.js': { from: { pkg: 'react', file: 'umd/react.production.min.js' }, type: 'text/javascript', pages: ['ide'] },
  'react-dom.js': { from: { pkg: 'react-dom', file: 'umd/react-dom.production.min.js' }, type: 'text/javascript', pages: ['ide'] },
  'graphiql.js': { from: { pkg: 'graphiql', file: 'graphiql.min.js' }, type: 'text/javascript', pages: ['ide'] },
  'graphiql.css': { from: { pkg: 'graphiql', file: 'graphiql.min.css' }, type: 'text/css', pages: ['ide'] },
  'graphql-ws.js': { from: { pkg: 'graphql-ws', file: 'umd/graphql-ws.min.js' }, type: 'text/javascript', pages: ['ide', 'console'] },
  'ide.js': { from: { own: 'ide.js' }, type: 'text/javascript', pages: ['ide'] },
  'console.js': { from: { own: 'console.js' }, type: 'text/javascript', pages: ['console'] },
  'pages.css': { from: { own: 'pages.css' }, type: 'text/css', pages: ['ide', 'console'] },
};

/** Where web/ is, from src/ (tests, ts-node) or dist/src/ (npm start). */
export function webDir(): string {
  for (const candidate of [path.resolve(__dirname, '..', 'web'), path.resolve(__dirname, '..', '..', 'web')]) {
    if (existsSync(path.join(candidate, 'console.html'))) return candidate;
  }
  throw new Error(`web/ not found beside ${__dirname}: the IDE and console pages are part of the repository`);
}

function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

/**
 * The policy of every page and asset: this origin only. GraphiQL sets inline styles and embeds its
 * fonts and icons as data: URLs; nothing runs inline or from elsewhere.
 */
function contentSecurityPolicy(req: Request): string {
  const host = req.get('host') ?? '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "img-src 'self' data:",
    // 'self' covers ws: to the same host in current browsers; named as well for older ones.
    `connect-src 'self' ws://${host} wss://${host}`,
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** The routes of the enabled pages, their scripts and the libraries they need; nothing when both are off. */
export function webPagesRouter(opts: WebPagesOptions): Router {
  const router = express.Router();
  if (!opts.ide && !opts.console) return router;
  const dir = webDir();
  const send = (file: string, type: string) => (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(req));
    res.type(type);
    // Pages are read fresh (a new version must show); libraries change only with an install.
    res.sendFile(file, { maxAge: type === 'text/html' ? 0 : 3_600_000 }, (err) => err && next(err));
  };

  if (opts.ide) {
    router.get('/ide', send(path.join(dir, 'ide.html'), 'text/html'));
    // A browser that opens the API's address gets the IDE (Apollo's own landing page is off: it loads from a CDN).
    router.get('/graphql', (req, res, next) => {
      const browser = req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
      if (browser && req.query.query === undefined) res.redirect(302, '/ide');
      else next();
    });
  }
  if (opts.console) router.get('/console', send(path.join(dir, 'console.html'), 'text/html'));

  for (const [name, asset] of Object.entries(ASSETS)) {
    if (!asset.pages.some((page) => opts[page])) continue;
    const file = 'own' in asset.from ? path.join(dir, asset.from.own) : packageFile(asset.from.pkg, asset.from.file);
    router.get(`/assets/${name}`, send(file, asset.type));
  }
  return router;
}
