/** How a document's content arrived: inline text (createTextDocument) or bytes in object storage. */
export enum DocumentOrigin {
  TEXT = 'TEXT',
  UPLOAD = 'UPLOAD',
}
