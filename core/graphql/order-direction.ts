import { registerEnumType } from 'type-graphql';

/** Sort direction of an ordered list; one enum for every subgraph so the supergraph composes. */
export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });
