import { REPORT, SERVICES_AGREEMENT } from './fixtures/samples';
import { summarizeText } from './summarize';
import { sentences } from './text';

describe('local extractive summary', () => {
  it('picks central sentences of a report, verbatim and in their original order', () => {
    const summary = summarizeText(REPORT);
    const all = sentences(REPORT).map((s) => s.text);
    const picked = sentences(summary).map((s) => s.text);
    expect(picked.length).toBeGreaterThanOrEqual(2);
    for (const sentence of picked) expect(all).toContain(sentence);
    const positions = picked.map((s) => all.indexOf(s));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(summary).toMatch(/Revenue grew 12 percent/);
  });

  it('leaves headings and one-word lines out', () => {
    const summary = summarizeText(SERVICES_AGREEMENT);
    expect(summary).not.toMatch(/^MASTER SERVICES AGREEMENT/);
    expect(summary).toMatch(/Northwind Traders/);
  });

  it('stays within the length budget on a long document and is deterministic', () => {
    const long = Array.from(
      { length: 300 },
      (_, i) =>
        `Clause ${i} sets out that the supplier shall deliver item ${i} on time and in full.`,
    ).join(' ');
    const summary = summarizeText(long, 600);
    expect(summary.length).toBeLessThanOrEqual(600);
    expect(summarizeText(long, 600)).toBe(summary);
  });

  it('returns short text as it is and empty text as empty', () => {
    expect(summarizeText('Payment received, thank you for your order.')).toBe(
      'Payment received, thank you for your order.',
    );
    expect(summarizeText('   ')).toBe('');
  });
});
