import type { ClientsApi, TppClient } from '../modules/clients/index.ts';
import { audited, type RecordStep } from './audited-step.ts';

const registration = (client: TppClient) => ({
  clientId: client.clientId,
  organisationId: client.organisationId,
  details: { softwareId: client.softwareId, clientName: client.clientName, roles: client.softwareRoles, redirectUris: client.redirectUris },
});

/** TPP client registration with every change, and every refused attempt, recorded in the audit trail (reads are API calls only). */
export function auditedClients(api: ClientsApi, record: RecordStep): ClientsApi {
  return {
    ...api,
    register: (request) => audited(record, 'tpp-registration', { action: 'register' }, () => api.register(request), registration),
    update: (request) => audited(record, 'tpp-registration', { action: 'update', clientId: request.clientId }, () => api.update(request), registration),
    delete: (request) => audited(record, 'tpp-registration', { action: 'delete', clientId: request.clientId }, () => api.delete(request)),
  };
}
