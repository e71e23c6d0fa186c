import { z } from 'zod';
import { defineEvent } from '../../../platform/events/index.ts';

/**
 * A register's word on a TPP changed in a way trust decisions see: it was withdrawn (authorised
 * before, not now, or no longer listed), or its services or passporting changed, or it was
 * authorised again. Each register entity is one aggregate (`register-entity`, `{register}:{code}`).
 */
export const RegisterStandingChangedV1 = defineEvent({
  type: 'RegisterStandingChanged',
  version: 1,
  aggregateType: 'register-entity',
  payload: z.object({
    register: z.string(),
    entityCode: z.string(),
    organizationIdentifier: z.string(),
    name: z.string(),
    change: z.enum(['withdrawn', 'changed']),
    authorised: z.boolean(),
  }),
});
