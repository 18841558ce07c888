/**
 * A real PDF with a text layer, written by hand (no PDF library needed): one Helvetica text
 * object per page, a correct cross-reference table. Tests use it for multi-page documents with
 * known content; the corpus under ../shared/corpus/pdfjs has no long text PDF.
 */
function escapePdfText(line: string): string {
  return line.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
}

export function makePdf(pages: string[][]): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body) - 1 + 1; // object numbers start at 1
  const catalog = add('');
  const pagesObject = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const kids: number[] = [];
  for (const lines of pages) {
    const stream = [
      'BT',
      '/F1 11 Tf',
      '14 TL',
      '72 740 Td',
      ...lines.map((line) => `(${escapePdfText(line)}) Tj T*`),
      'ET',
    ].join('\n');
    const content = add(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
    kids.push(
      add(
        `<< /Type /Page /Parent ${pagesObject} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`,
      ),
    );
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObject} 0 R >>`;
  objects[pagesObject - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;

  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A 20-page service agreement with parties, dates, amounts and e-mail addresses to find. */
export function contractPdf(pageCount = 20): Buffer {
  const pages: string[][] = [];
  for (let n = 1; n <= pageCount; n++) {
    const lines =
      n === 1
        ? [
            'MASTER SERVICES AGREEMENT',
            'This Master Services Agreement is entered into on 1 March 2026 between',
            'Acme Corporation ("Customer") and Globex Services Ltd ("Provider").',
            'The agreement is effective from 1 March 2026 and expires on 28 February 2029.',
            'The Customer shall pay the Provider a fee of USD 120,000.00 per year.',
            'Notices shall be sent to legal@acme.example and contracts@globex.example.',
          ]
        : [
            `Section ${n}. Obligations of the parties, page ${n}.`,
            'The Provider shall deliver the services described in the statement of work',
            'with due care and in accordance with good industry practice. The Customer',
            'shall provide timely access to its systems and personnel as reasonably required.',
            `Either party may terminate this agreement for material breach (clause ${n}.4)`,
            'if the breach is not remedied within thirty days of written notice.',
          ];
    pages.push([...lines, '', `Page ${n} of ${pageCount}`]);
  }
  return makePdf(pages);
}
