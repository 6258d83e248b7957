import type { Config } from './config';

/** The hosts a developer's own machine is reached by: a page served from any of them, on any port, is "local". */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether an Origin names a page served from this machine (http or https, localhost, 127.0.0.1 or [::1], any port). */
export function isLocalOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  // An Origin is scheme://host[:port] and nothing else: no user, path, query or fragment.
  if (url.origin !== origin) return false;
  return LOCAL_HOSTS.has(url.hostname);
}

/**
 * The one rule for browsers, over HTTP (CORS) and for WebSocket upgrades (the Origin header):
 * a request without an Origin (curl, servers, native apps) is not a browser's and passes; one listed in
 * CORS_ORIGINS passes; outside production a page on this machine (a frontend dev server such as
 * http://localhost:5173) passes too. In production only CORS_ORIGINS.
 */
export function originAllowed(origin: string | undefined, config: Pick<Config, 'nodeEnv' | 'corsOrigins'>): boolean {
  if (!origin) return true;
  if (config.corsOrigins.includes(origin)) return true;
  return config.nodeEnv !== 'production' && isLocalOrigin(origin);
}
