import type { Logger } from 'pino';
import type { RecurringJob } from '../platform/scheduler/index.ts';
import type { DirectoryApi } from '../modules/directory/index.ts';

/** The expiry warnings of the sandbox QTSP's certificates, as a recurring job of the workers. */
export function certificateExpiryJob(directory: Pick<DirectoryApi, 'warnOfExpiringCertificates'>, everyMs: number, logger: Logger): RecurringJob {
  return {
    kind: 'directory.certificate-expiry',
    everyMs,
    async run(now) {
      const warnings = await directory.warnOfExpiringCertificates(now);
      if (warnings.length > 0) logger.info({ warnings }, `${warnings.length} TPP certificates expire soon; their TPPs are warned`);
    },
  };
}
