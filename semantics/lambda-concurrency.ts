/**
 * Lambda's account concurrency rule (docs/aws-semantics.md#lambda-limits-and-environment): reserved
 * concurrency is taken from the account's unreserved pool, which must keep at least this much.
 */

/** Concurrency Lambda keeps unreserved for functions without a reservation ("Configuring reserved concurrency"). */
export const MIN_UNRESERVED_CONCURRENCY = 100;
