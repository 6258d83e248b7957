import pino, { type Logger } from 'pino';
import type { Config } from './config';

/** Structured JSON logs; secrets in headers never reach them. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'vpdt' },
    redact: ['req.headers.authorization', 'headers.authorization', 'password', 'currentPassword', 'newPassword'],
  });
}
