/** Bounds of the search API, in one place (resolvers, services and their error messages). */
export const SearchLimits = {
  /** `search(first:)`: hits per page. */
  FIRST_MAX: 50,
  FIRST_DEFAULT: 10,
  /** `ask(topK:)`: chunks retrieved to answer from. */
  TOP_K_MAX: 20,
  TOP_K_DEFAULT: 6,
  /** `Document.similar(first:)`. */
  SIMILAR_MAX: 20,
  SIMILAR_DEFAULT: 5,
  /** A question longer than this is refused (a search query is cut instead: see search-text.ts). */
  QUESTION_MAX_CHARS: 2_000,
  /** Chunk tokens handed to the answerer: ~6 chunks of ~800 tokens fit, a prompt stays small. */
  CONTEXT_TOKEN_BUDGET: 4_000,
  /** `filter.documentIds` / `filter.tags` entries. */
  FILTER_LIST_MAX: 100,
} as const;
