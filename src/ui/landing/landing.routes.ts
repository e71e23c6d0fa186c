import fs from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { PSU_PAGE_CSP } from '../psu/layout.ts';
import { landingPage } from './landing-page.ts';
import { LANDING_CSS } from './landing-styles.ts';
import { packageRoot } from '../../platform/package/index.ts';
import { absolutePathOf, DOCS_FILES, OPENAPI_FILES, publishedFiles } from './published-files.ts';

export interface LandingOptions {
  readonly publicUrl: string;
  readonly sandbox: boolean;
  readonly registration: boolean;
}

/**
 * The developer's way in: `/` lists where everything is; the official OpenAPI files and the docs
 * are served from the repository as they are (read per request: they are large and rarely asked for).
 */
export async function landingRoutes(app: FastifyInstance, options: LandingOptions): Promise<void> {
  const root = packageRoot();
  const page = landingPage({ publicUrl: options.publicUrl, sandbox: options.sandbox, registration: options.registration });
  app.get('/', async (_request, reply) =>
    reply.header('content-security-policy', PSU_PAGE_CSP).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page),
  );
  app.get('/assets/landing.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(LANDING_CSS));
  for (const file of publishedFiles([...OPENAPI_FILES, ...DOCS_FILES], options.sandbox)) {
    const absolute = absolutePathOf(root, file);
    app.get(file.urlPath, async (_request, reply) =>
      reply.type(file.contentType).header('cache-control', 'public, max-age=3600').header('x-content-type-options', 'nosniff').send(await fs.readFile(absolute)),
    );
  }
}
