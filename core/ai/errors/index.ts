export { AiProviderError, isRetryableAiError } from './ai-provider.error';
export { AiRejectedError } from './ai-rejected.error';
export { AiUnavailableError } from './ai-unavailable.error';
