/** The pipeline's stages, in order; the database CHECK lists the same values. */
export enum PipelineStage {
  VALIDATE = 'VALIDATE',
  EXTRACT = 'EXTRACT',
  CLASSIFY = 'CLASSIFY',
  SUMMARIZE = 'SUMMARIZE',
  EXTRACT_FACTS = 'EXTRACT_FACTS',
  INDEX = 'INDEX',
  FINALIZE = 'FINALIZE',
}
