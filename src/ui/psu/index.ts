import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { psuInteractionRoutes } from './interaction.routes.ts';
import { psuAccountRoutes } from './account.routes.ts';
import { scaRedirectRoutes } from './sca-redirect.routes.ts';
import { installPsuErrorHandler } from './psu-error-handler.ts';
import { repeatedField } from '../../platform/http/index.ts';
import { fieldGivenTwicePage } from './error-page.ts';
import { sendPage } from './send-page.ts';
import type { PsuPagesOptions } from './psu-pages-options.ts';

export { PSU_INTERACTION_PREFIX } from './interaction.routes.ts';
export { authorisationErrorPage } from './error-page.ts';
export { PSU_PAGE_CSP } from './layout.ts';
export type { PageStateStore, PsuConsentsView, PsuPagesOptions } from './psu-pages-options.ts';

/** The one field a PSU page's form sends several of: the accounts chosen. */
const LIST_FIELDS = new Set(['accounts']);

/** Every PSU page: authorisation journeys and the PSU's own account pages, with form and cookie parsing. */
export async function psuPages(app: FastifyInstance, options: PsuPagesOptions): Promise<void> {
  installPsuErrorHandler(app);
  // The pages read each field as one text but the accounts the PSU chooses: a field given twice
  // (two one-time codes, say) is refused here, for every page, as the client's error.
  app.addHook('preValidation', async (request, reply) => {
    if (repeatedField(request, LIST_FIELDS) === undefined) return;
    return sendPage(reply, fieldGivenTwicePage(request.id), 400);
  });
  await app.register(formbody);
  await app.register(cookie);
  await app.register(psuInteractionRoutes, options);
  await app.register(psuAccountRoutes, options);
  await app.register(scaRedirectRoutes, options);
}
