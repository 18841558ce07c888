/**
 * The protocol between the gateway, which serves the `askStream` subscription, and the search
 * subgraph, which produces the answer (gateway/subscriptions/ask-stream.ts,
 * subgraphs/search/http/ask-stream.route.ts). Here so that neither imports the other's code.
 */

/** `POST { question, filter }` with the subscriber's Authorization; newline-delimited JSON back. */
export const ASK_STREAM_PATH = '/internal/ask-stream';

/** One line of the stream. */
export type AskStreamLine =
  | { text: string }
  | { done: true; replayId: string }
  | { error: { message: string; code: string } };

/**
 * The request id prefix with which the gateway asks `ask` for the answer a stream has just
 * produced (`ask-replay-<replayId>`), so that the final Answer's selection is resolved by the
 * gateway's own executor, federation and all, without answering the question a second time.
 */
export const ASK_REPLAY_REQUEST_PREFIX = 'ask-replay-';
