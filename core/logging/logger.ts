import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs, one line each, labelled with the role that wrote them. */
export function createLogger(role: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { role },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', '*.password', '*.refreshToken'], remove: true },
  });
}
