/** A document whose content cannot be extracted, for a reason retrying will not change. */
export class ExtractionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExtractionError';
  }
}
