/**
 * The code of the worker thread that parses one PDF with pdf.js (unpdf's build), given as a
 * string so that it runs the same from TypeScript sources (jest, ts-node) and from the build.
 * pdf.js is fed untrusted bytes: eval is off (CVE-2024-4367), fonts are not loaded, and the
 * thread has its own heap limit and is terminated on timeout by its parent. A thread loads pdf.js
 * as soon as it starts (a warm spare waits this way), then parses the one file it is sent.
 */
export const PDF_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const loading = import(pathToFileURL(workerData.pdfjsPath).href);
parentPort.once('message', (message) => run(message).catch((error) => {
  parentPort.postMessage({ ok: false, kind: (error && error.name) || 'Error', message: String(error && error.message) });
}));
async function run({ data, maxPages, maxChars }) {
  const pdfjs = await loading;
  const resolved = typeof pdfjs.getDocument === 'function' ? pdfjs : await pdfjs.resolvePDFJS?.();
  const task = resolved.getDocument({
    data: new Uint8Array(data),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let doc;
  try {
    doc = await task.promise;
  } catch (error) {
    parentPort.postMessage({ ok: false, kind: error && error.name, message: String(error && error.message) });
    return;
  }
  const pageCount = doc.numPages;
  if (pageCount > maxPages) {
    parentPort.postMessage({ ok: false, kind: 'TooManyPages', message: String(pageCount) });
    return;
  }
  const pages = [];
  let characters = 0;
  for (let n = 1; n <= pageCount; n++) {
    let text = '';
    try {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      for (const item of content.items) {
        if (typeof item.str !== 'string') continue;
        text += item.str;
        if (item.hasEOL) text += '\\n';
        else if (item.str && !/\\s$/.test(item.str)) text += ' ';
      }
      page.cleanup();
    } catch (error) {
      text = '';
    }
    text = text.replace(/[ \\t]+\\n/g, '\\n').replace(/[ \\t]{2,}/g, ' ').trim();
    characters += text.length;
    if (characters > maxChars) {
      parentPort.postMessage({ ok: false, kind: 'TooMuchText', message: String(characters) });
      return;
    }
    pages.push({ page: n, text });
  }
  await doc.destroy();
  parentPort.postMessage({ ok: true, pageCount, pages });
}
`;
