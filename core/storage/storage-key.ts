/**
 * Object keys are ours (never a client's filename): `<prefix>/<uuid>[/<name>]`. Checked by every
 * driver before use, so a key can never climb out of its directory or bucket prefix.
 */
const KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)*$/;

export function assertValidKey(key: string): string {
  if (key.length > 512 || !KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
    throw new Error(`Invalid storage key ${JSON.stringify(key)}`);
  }
  return key;
}

/** Where an upload's original bytes live. */
export function originalKey(organizationId: string, documentId: string): string {
  return `originals/${organizationId}/${documentId}`;
}

/** The pipeline's extracted text (pages) of a document, read by the later stages and the indexer. */
export function extractedKey(organizationId: string, documentId: string): string {
  return `extracted/${organizationId}/${documentId}.json`;
}
