import { GraphQLError } from 'graphql';
import { ErrorCode } from './error-codes';

export class ForbiddenError extends GraphQLError {
  constructor(message = 'You are not allowed to do this') {
    super(message, { extensions: { code: ErrorCode.FORBIDDEN } });
  }
}
