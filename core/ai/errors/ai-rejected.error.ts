import { AiProviderError } from './ai-provider.error';

/**
 * Permanent: the provider refused the request (400, 401, 403, 404, 422…) or answered something
 * that does not fit the schema. Retrying the same request cannot succeed.
 */
export class AiRejectedError extends AiProviderError {
  readonly retryable = false;
}
