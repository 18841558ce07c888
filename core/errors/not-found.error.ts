import { GraphQLError } from 'graphql';
import { ErrorCode } from './error-codes';

export class NotFoundError extends GraphQLError {
  constructor(what: string, id?: string) {
    super(id ? `${what} ${id} was not found` : `${what} was not found`, {
      extensions: { code: ErrorCode.NOT_FOUND },
    });
  }
}
