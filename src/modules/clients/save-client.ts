import { AppError } from '../../platform/errors/index.ts';
import { ClientsErrors } from './clients.errors.ts';
import type { ClientMetadata, ClientsContext } from './ports.ts';
import { tppClientFromMetadata, type TppClient } from './tpp-client.ts';

/** Stores the client; whatever the authorisation server still refuses is the TPP's metadata error. */
export async function saveClient(context: ClientsContext, metadata: ClientMetadata): Promise<TppClient> {
  const saved = await context.registry.save(metadata);
  if (!saved.ok) {
    const definition = saved.error === 'invalid_redirect_uri' ? ClientsErrors.REDIRECT_URI_INVALID : ClientsErrors.METADATA_INVALID;
    throw new AppError(definition, { message: saved.description || definition.message });
  }
  return tppClientFromMetadata(saved.metadata);
}
