import { DateResolver, DateTimeResolver, JSONResolver } from 'graphql-scalars';

/** The scalars every subgraph shares, named as the public contract names them. */
export const DateTimeScalar = DateTimeResolver;
export const JSONScalar = JSONResolver;
/** A calendar date, `YYYY-MM-DD` (facts: effective and expiry dates). */
export const DateScalar = DateResolver;
