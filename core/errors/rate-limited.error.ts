import { GraphQLError } from 'graphql';
import { ErrorCode } from './error-codes';

export class RateLimitedError extends GraphQLError {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, { extensions: { code: ErrorCode.RATE_LIMITED, retryAfter: retryAfterSeconds } });
  }
}
