import {
  expiryFromTerm,
  extractAmounts,
  extractDates,
  extractEmails,
  extractFactsFromText,
  extractParties,
} from './extract-facts';
import { INVOICE, LEASE, LETTER, POLICY, REPORT, SERVICES_AGREEMENT } from './fixtures/samples';

describe('local fact extraction', () => {
  it('reads a services agreement: parties, effective date, term-based expiry, amounts, e-mails', () => {
    const facts = extractFactsFromText(SERVICES_AGREEMENT);
    expect(facts.parties).toEqual(['Northwind Traders Inc.', 'Contoso Consulting LLC']);
    expect(facts.effectiveDate).toBe('2025-03-01');
    // twenty-four (24) months from the Effective Date: the day before the second anniversary
    expect(facts.expiryDate).toBe('2027-02-28');
    expect(facts.amounts).toEqual([
      { amount: 120000, currency: 'USD', text: 'USD 120,000.00' },
      { amount: 30000, currency: 'USD', text: '$30,000' },
      { amount: 2500, currency: 'EUR', text: '€2,500' },
    ]);
    expect(facts.emails).toEqual([
      'legal@northwind.example',
      'contracts@contoso-consulting.example',
    ]);
  });

  it('reads a lease: defined-term parties, commencement as effective, explicit expiry', () => {
    const facts = extractFactsFromText(LEASE);
    expect(facts.parties).toEqual(['Harbourside Properties Limited', 'Blue Heron Bakery Ltd']);
    expect(facts.effectiveDate).toBe('2024-02-01');
    expect(facts.expiryDate).toBe('2029-01-31');
    expect(facts.dates).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ date: '2024-01-15', label: 'signed' }),
        expect.objectContaining({ date: '2029-01-31', label: 'expiry' }),
      ]),
    );
    expect(facts.amounts.map((a) => [a.amount, a.currency])).toEqual([
      [48000, 'GBP'],
      [12000, 'GBP'],
    ]);
  });

  it('reads an invoice: bill-to and from parties, issue and due dates, European number formats', () => {
    const facts = extractFactsFromText(INVOICE);
    expect(facts.parties).toEqual(['Fabrikam Retail GmbH', 'Litware Office Supplies Ltd']);
    expect(facts.dates.map((d) => [d.date, d.label])).toEqual([
      ['2025-04-14', 'issued'],
      ['2025-05-14', 'due'],
    ]);
    expect(facts.amounts.map((a) => a.amount)).toEqual([
      249, 2490, 1150, 4600, 7090, 1347.1, 8437.1,
    ]);
    expect(new Set(facts.amounts.map((a) => a.currency))).toEqual(new Set(['EUR']));
    expect(facts.effectiveDate).toBeNull();
    expect(facts.expiryDate).toBeNull();
    expect(facts.emails).toEqual(['billing@litware.example']);
  });

  it('finds nothing where there is nothing: no parties, dates or amounts in a policy', () => {
    const facts = extractFactsFromText(POLICY);
    expect(facts.parties).toEqual([]);
    expect(facts.amounts).toEqual([]);
    expect(facts.effectiveDate).toBeNull();
    expect(facts.expiryDate).toBeNull();
    expect(facts.emails).toEqual(['security@company.example']);
  });

  it('finds the people of a letter through NLP when no defining phrase exists', () => {
    expect(extractParties(LETTER)).toEqual(expect.arrayContaining(['Tom Becker']));
  });

  describe('amounts', () => {
    it.each([
      ['The fee is USD 1,200.50 per month.', 1200.5, 'USD'],
      ['a valuation of €3.5 million', 3_500_000, 'EUR'],
      ['a cap of $2.5bn', 2_500_000_000, 'USD'],
      ['Total: 1.234,56 €', 1234.56, 'EUR'],
      ['a penalty of 500 dollars', 500, 'USD'],
      ['CHF 12 000 payable on signing', 12000, 'CHF'],
      ['the sum of £75k', 75_000, 'GBP'],
      ['an amount of 3,000,000 JPY', 3_000_000, 'JPY'],
      ['US$ 99.99 each', 99.99, 'USD'],
    ])('%s', (text, amount, currency) => {
      expect(extractAmounts(text)).toEqual([expect.objectContaining({ amount, currency })]);
    });

    it.each([
      'See Section 3.5 and clause 12.1 of Schedule 2.',
      'Revenue grew 12 percent in 2024 with 1,200 new customers.',
      'Call 555-0142 or write to PO Box 1200.',
      'The $ sign alone, or "USD" in a sentence, is not an amount.',
    ])('no amount in: %s', (text) => {
      expect(extractAmounts(text)).toEqual([]);
    });

    it('reads the report figures with their currency', () => {
      expect(extractAmounts(REPORT)).toEqual([
        { amount: 4_200_000, currency: 'USD', text: '$4.2 million' },
      ]);
    });
  });

  describe('dates', () => {
    it('labels expiry, effective and due dates by the words before them', () => {
      const text =
        'This Policy is effective from 1 July 2025. Coverage terminates on December 31, 2026. Payment is due by 15/08/2025.';
      expect(extractDates(text).map((d) => [d.date, d.label])).toEqual([
        ['2025-07-01', 'effective'],
        ['2026-12-31', 'expiry'],
        ['2025-08-15', 'due'],
      ]);
    });

    it('ignores relative and partial dates ("within 30 days", "in March")', () => {
      expect(extractDates('Pay within 30 days. We meet in March. Tomorrow is fine.')).toEqual([]);
    });

    it('computes expiry from a term in years from an explicit date', () => {
      expect(
        expiryFromTerm(
          'The licence is granted for a term of two (2) years commencing on 1 March 2024.',
          null,
        ),
      ).toBe('2026-02-28');
      expect(
        expiryFromTerm(
          'This Agreement shall remain in force for 12 months from the Effective Date.',
          '2025-01-01',
        ),
      ).toBe('2025-12-31');
    });

    it('does not invent an expiry without an anchor', () => {
      expect(
        expiryFromTerm('for a term of 12 months from the date of delivery', '2025-01-01'),
      ).toBeNull();
      expect(expiryFromTerm('The warranty lasts 12 months.', '2025-01-01')).toBeNull();
    });
  });

  describe('parties and e-mails', () => {
    it('reads "between X and Y" with descriptions and definitions removed', () => {
      const text =
        'This Software License Agreement is made between Initech Corporation, a Texas corporation (the "Licensor"), and Jane Roe (the "Licensee").';
      expect(extractParties(text)).toEqual(['Initech Corporation', 'Jane Roe']);
    });

    it('reads hereinafter-style definitions', () => {
      const text =
        'Globex Holdings plc (hereinafter referred to as the "Buyer") agrees to purchase the goods from Acme Widgets B.V. (hereinafter "Seller").';
      expect(extractParties(text)).toEqual(['Globex Holdings plc', 'Acme Widgets B.V.']);
    });

    it('does not take lower-case "between" phrases or defined things for parties', () => {
      expect(
        extractParties(
          'The difference between the estimate and the final cost was small. The "Services" (as defined) start soon.',
        ),
      ).toEqual([]);
    });

    it('extracts addresses once, lower-cased, and not from look-alikes', () => {
      expect(
        extractEmails(
          'Write to Jane.Doe@Example.com or jane.doe@example.com; not user@localhost or @handle or a@b.',
        ),
      ).toEqual(['jane.doe@example.com']);
    });
  });
});
