/** What the extract stage stores (`extracted/<org>/<doc>.json`) for the later stages and the indexer. */
export interface ExtractedPage {
  /** 1-based page number; documents without pages have one page 1. */
  page: number;
  text: string;
}

export interface ExtractedText {
  documentId: string;
  contentType: string;
  pageCount: number | null;
  /** True when a PDF has pages but no text layer (scanned); OCR comes later. */
  noTextLayer: boolean;
  characters: number;
  pages: ExtractedPage[];
}

export function fullText(extracted: Pick<ExtractedText, 'pages'>): string {
  return extracted.pages
    .map((p) => p.text)
    .filter((t) => t.length > 0)
    .join('\n\n');
}
