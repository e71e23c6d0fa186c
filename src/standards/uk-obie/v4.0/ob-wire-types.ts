import type { components as PaymentInitiation } from './_generated/payment-initiation.ts';
import type { components as Vrp } from './_generated/vrp.ts';

/** A component schema of the official OB v4.0 Payment Initiation API, as openapi-typescript generates it (scripts/generate-ob-types.mjs). */
export type PisSchema<N extends keyof PaymentInitiation['schemas']> = PaymentInitiation['schemas'][N];

/** A component schema of the official OB v4.0 VRP API, as openapi-typescript generates it. */
export type VrpSchema<N extends keyof Vrp['schemas']> = Vrp['schemas'][N];
