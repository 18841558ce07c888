/**
 * A failure of an AI back end. `retryable` tells the pipeline what to do: a retryable failure
 * (HTTP 429, 5xx, timeouts, connection errors) is thrown as it is so BullMQ retries it with its
 * backoff; a permanent one (any other 4xx, a malformed answer) becomes BullMQ's
 * `UnrecoverableError`, because retrying cannot help.
 */
export abstract class AiProviderError extends Error {
  abstract readonly retryable: boolean;

  constructor(
    message: string,
    /** The provider's HTTP status, when there was one. */
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isRetryableAiError(error: unknown): boolean {
  return error instanceof AiProviderError && error.retryable;
}
