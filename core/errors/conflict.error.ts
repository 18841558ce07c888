import { GraphQLError } from 'graphql';
import { ErrorCode } from './error-codes';

export class ConflictError extends GraphQLError {
  constructor(message: string, field?: string) {
    super(message, { extensions: { code: ErrorCode.CONFLICT, ...(field ? { field } : {}) } });
  }
}
