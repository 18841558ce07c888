import { AiProviderError } from './ai-provider.error';

/** Transient: rate limited (429), server error (5xx), timeout or no connection. Retry later. */
export class AiUnavailableError extends AiProviderError {
  readonly retryable = true;

  constructor(
    message: string,
    status: number | null = null,
    /** Seconds the provider asked us to wait (Retry-After), when it said. */
    readonly retryAfterSeconds: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, status, options);
  }
}
