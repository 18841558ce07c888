import { GraphQLError } from 'graphql';
import { ErrorCode } from './error-codes';

export class UnauthenticatedError extends GraphQLError {
  /**
   * `requestLevel`: the credential itself is bad, so the whole request fails with HTTP 401.
   * A resolver that needs a caller fails only its field (HTTP 200), so that the gateway can
   * pass the error on as it is.
   */
  constructor(
    message = 'Authentication required: send Authorization: Bearer <token>',
    options: { requestLevel?: boolean } = {},
  ) {
    super(message, {
      extensions: {
        code: ErrorCode.UNAUTHENTICATED,
        ...(options.requestLevel ? { http: { status: 401 } } : {}),
      },
    });
  }
}
