/**
 * OB v4.0 `components.parameters.ConsentId`, the same in every API of the version: ConsentIds are
 * at most 128 characters (the `ConsentId` of every consent response schema).
 */
export const consentIdParams = {
  type: 'object',
  required: ['ConsentId'],
  properties: { ConsentId: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

export interface ConsentIdParams {
  readonly ConsentId: string;
}
