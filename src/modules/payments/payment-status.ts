/**
 * The neutral status of a payment, following its execution saga: pending
 * until the core answers; booked by the core and in the scheme's settlement when it leaves the
 * bank; settled (on us at once, out of the bank once the scheme confirms); or rejected; or
 * cancelled (a scheduled payment stopped before it was handed to the core). Each standard maps it
 * to its codes.
 */
export type PaymentStatus = 'pending' | 'booked' | 'settled' | 'rejected' | 'cancelled';

/**
 * Neutral status of a standing order: pending until its first instalment
 * is answered, then set up (paying) or failed (the first instalment was refused, the order
 * stopped), or cancelled (stopped at the payer's request: no further instalment is made). Each
 * standard maps it to its codes.
 */
export type StandingOrderStatus = 'pending' | 'set-up' | 'failed' | 'cancelled';
