import OpenAI from 'openai';
import { AiProviderError, AiRejectedError, AiUnavailableError } from '../errors';

/**
 * The SDK's errors as the pipeline needs them: 408, 409, 429, 5xx, timeouts and lost
 * connections are retryable (BullMQ's backoff retries them); every other status is permanent.
 */
export function mapOpenAiError(error: unknown, operation: string): AiProviderError {
  if (error instanceof AiProviderError) return error;
  if (error instanceof OpenAI.APIConnectionError) {
    return new AiUnavailableError(`OpenAI ${operation}: ${error.message}`, null, null, {
      cause: error,
    });
  }
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const status = error.status;
    const message = `OpenAI ${operation} failed with HTTP ${status}: ${error.message}`;
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      const retryAfter = Number(error.headers?.get('retry-after'));
      return new AiUnavailableError(
        message,
        status,
        Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null,
        { cause: error },
      );
    }
    return new AiRejectedError(message, status, { cause: error });
  }
  // Abort by our own timeout, a stream cut mid-way, a network error the SDK did not wrap.
  const message = error instanceof Error ? error.message : String(error);
  return new AiUnavailableError(`OpenAI ${operation}: ${message}`, null, null, { cause: error });
}
