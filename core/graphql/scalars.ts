import { DateTimeResolver, JSONResolver } from 'graphql-scalars';

/** The scalars every subgraph shares, named as the public contract names them. */
export const DateTimeScalar = DateTimeResolver;
export const JSONScalar = JSONResolver;
