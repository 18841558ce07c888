import { deriveFilename } from './derive-filename';

describe('deriveFilename', () => {
  it("adds the content type's extension", () => {
    expect(deriveFilename('Quarterly report', 'text/plain')).toBe('Quarterly report.txt');
    expect(deriveFilename('Notes', 'text/markdown')).toBe('Notes.md');
    expect(deriveFilename('Page', 'text/html')).toBe('Page.html');
  });
  it('does not repeat an extension the title already has', () => {
    expect(deriveFilename('readme.md', 'text/markdown')).toBe('readme.md');
    expect(deriveFilename('readme.MD', 'text/markdown')).toBe('readme.md');
  });
  it('replaces what file systems refuse', () => {
    expect(deriveFilename('Q3: income/expenses <draft>?', 'text/plain')).toBe(
      'Q3- income-expenses -draft-.txt',
    );
    expect(deriveFilename('a\u0000b\tc\n d', 'text/plain')).toBe('a-b c d.txt');
    expect(deriveFilename('..hidden', 'text/plain')).toBe('hidden.txt');
    expect(deriveFilename('ends with dots...', 'text/plain')).toBe('ends with dots.txt');
  });
  it('falls back to "document" and keeps names short', () => {
    expect(deriveFilename('///', 'text/plain')).toBe('document.txt');
    expect(deriveFilename('x'.repeat(300), 'text/plain')).toBe(`${'x'.repeat(120)}.txt`);
    expect(deriveFilename('😀'.repeat(200), 'text/plain')).toBe(`${'😀'.repeat(120)}.txt`);
  });
});
