import { corpusDir } from '../../../test/support/corpus';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectContentType } from './detect-content-type';

const CORPUS = corpusDir('pdfjs');

describe('detectContentType', () => {
  it('recognises a PDF by its magic bytes', async () => {
    const prefix = readFileSync(join(CORPUS, '160F-2019.pdf')).subarray(0, 4100);
    expect(await detectContentType(prefix, 'application/pdf')).toEqual({
      type: 'application/pdf',
      description: 'a PDF',
    });
  });

  it('finds a PDF header after leading junk, as PDF readers do', async () => {
    const prefix = readFileSync(join(CORPUS, 'issue6069.pdf')).subarray(0, 4100);
    expect((await detectContentType(prefix, 'application/pdf')).type).toBe('application/pdf');
  });

  it('takes UTF-8 text as the declared text type', async () => {
    const text = Buffer.from('# Title\n\nSome *markdown* — with accents: é');
    expect((await detectContentType(text, 'text/markdown')).type).toBe('text/markdown');
    expect((await detectContentType(text, 'text/html')).type).toBe('text/html');
  });

  it('names a binary format outside the allow-list', async () => {
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489',
      'hex',
    );
    expect(await detectContentType(png, 'application/pdf')).toEqual({
      type: null,
      description: 'image/png (.png)',
    });
  });

  it('refuses bytes that are neither text nor an accepted format', async () => {
    const junk = Buffer.from([0, 1, 2, 3, 255, 254, 0, 7, 9, 0, 0, 0]);
    expect((await detectContentType(junk, 'text/plain')).type).toBeNull();
  });
});
