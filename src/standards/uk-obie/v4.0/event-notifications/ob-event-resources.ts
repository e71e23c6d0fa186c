import type { NotifiedResource } from '../../../../modules/events/index.ts';

/** The OB version the resource links of a notification name: the one this facade serves. */
export const OB_RESOURCE_VERSION = 'v4.0';

/** The version of the TPP certificate lifecycle API (`/directory/v1`) a certificate's link names. */
const DIRECTORY_API_VERSION = 'v1';

/** A notified resource as the APIs serving it name it: its resource type, its URL and that API's version. */
export interface ObEventResource {
  /** `http://openbanking.org.uk/rty`: the resource type, the singular of its collection (`domestic-payment`, `certificate`). */
  readonly type: string;
  readonly url: string;
  /** `http://openbanking.org.uk/rlk` `version`: the OB version, or the directory API's for a certificate. */
  readonly version: string;
}

/** The collection path, under `/open-banking/v4.0`, of each consent kind. */
const CONSENT_PATHS: Readonly<Record<Extract<NotifiedResource, { type: 'consent' }>['kind'], string>> = {
  'account-access': 'aisp/account-access-consents',
  'domestic-payment': 'pisp/domestic-payment-consents',
  'domestic-scheduled-payment': 'pisp/domestic-scheduled-payment-consents',
  'domestic-standing-order': 'pisp/domestic-standing-order-consents',
  'international-payment': 'pisp/international-payment-consents',
  'international-scheduled-payment': 'pisp/international-scheduled-payment-consents',
  'international-standing-order': 'pisp/international-standing-order-consents',
  'file-payment': 'pisp/file-payment-consents',
  'domestic-vrp': 'pisp/domestic-vrp-consents',
  'funds-confirmation': 'cbpii/funds-confirmation-consents',
};

function collectionOf(resource: Exclude<NotifiedResource, { type: 'certificate' }>): string {
  switch (resource.type) {
    case 'consent':
      return CONSENT_PATHS[resource.kind];
    case 'standing-order':
      return `pisp/${resource.reach}-standing-orders`;
    case 'payment':
      if (resource.kind === 'file') return 'pisp/file-payments';
      if (resource.kind === 'recurring') return 'pisp/domestic-vrps';
      return `pisp/${resource.reach}-${resource.kind === 'scheduled' ? 'scheduled-' : ''}payments`;
  }
}

/**
 * The resource type and URL of a notified resource, under the bank's public URL: an OB v4.0
 * resource, or a TPP's certificate as the certificate lifecycle API addresses it
 * (`/directory/v1/organisations/{organisationId}/certificates/{serialNumber}`).
 */
export function obEventResource(resource: NotifiedResource, publicUrl: string): ObEventResource {
  if (resource.type === 'certificate') {
    const path = `/directory/${DIRECTORY_API_VERSION}/organisations/${encodeURIComponent(resource.organisationId)}/certificates/${encodeURIComponent(resource.id)}`;
    return { type: 'certificate', url: new URL(path, publicUrl).toString(), version: DIRECTORY_API_VERSION };
  }
  const collection = collectionOf(resource);
  const type = collection.slice(collection.indexOf('/') + 1).replace(/s$/, '');
  return { type, url: new URL(`/open-banking/${OB_RESOURCE_VERSION}/${collection}/${encodeURIComponent(resource.id)}`, publicUrl).toString(), version: OB_RESOURCE_VERSION };
}
