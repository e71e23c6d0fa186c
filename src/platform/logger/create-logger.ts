import { pino, type Logger, type DestinationStream } from 'pino';

/**
 * Paths never written to logs: credentials, tokens, signatures, client certificates, PSU secrets.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-jws-signature"]',
  'req.headers["x-client-certificate"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.totpSecret',
  '*.privateKeyPem',
  '*.client_secret',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
];

export function createLogger(level: string, options: { destination?: DestinationStream; extraRedact?: string[] } = {}): Logger {
  return pino(
    {
      level,
      base: { service: 'portico' },
      redact: { paths: [...REDACTED_PATHS, ...(options.extraRedact ?? [])], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

export type { Logger };
