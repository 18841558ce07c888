/**
 * Characters as PostgreSQL counts them (Unicode code points): a surrogate pair is one. Used
 * for the text limit and the `text` field's windows, so both agree with `substr` in SQL.
 */
export function characterCount(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}
