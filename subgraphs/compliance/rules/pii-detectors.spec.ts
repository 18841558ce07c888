import { findPii } from './pii-detectors';
import { PII_TYPES } from './rule-params';

const all = [...PII_TYPES];
const types = (text: string, region = 'US') => findPii(text, all, region).map((m) => m.type);

describe('findPii', () => {
  it('finds IBANs whose mod-97 checksum holds, grouped or not, and masks them', () => {
    const text =
      'Please pay to IBAN GB82 WEST 1234 5698 7654 32 or DE89370400440532013000 before Friday.';
    const found = findPii(text, ['IBAN']);
    expect(found.map((m) => m.masked)).toEqual(['GB** **** 5432', 'DE** **** 3000']);
    expect(found.map((m) => m.masked).join(' ')).not.toContain('WEST');
  });

  it('ignores IBAN-shaped strings whose checksum fails', () => {
    expect(findPii('Account GB82 WEST 1234 5698 7654 31 is closed.', ['IBAN'])).toEqual([]);
    expect(findPii('Reference DE00370400440532013000.', ['IBAN'])).toEqual([]);
  });

  it('finds card numbers that pass Luhn and name the brand, and ignores those that fail', () => {
    const text = 'Charged to 4111 1111 1111 1111 and 3782-822463-10005; order 4111 1111 1111 1112.';
    const found = findPii(text, ['CARD']);
    expect(found.map((m) => m.masked)).toEqual([
      'Visa ending 1111',
      'American Express ending 0005',
    ]);
  });

  it('does not read an invoice number or a date as a card', () => {
    expect(findPii('Invoice 2024-000123 dated 2024-03-01 for 1234567 units.', ['CARD'])).toEqual(
      [],
    );
  });

  it('finds US social security numbers, and not impossible ones', () => {
    expect(findPii('Employee SSN: 078-05-1120.', ['SSN']).map((m) => m.masked)).toEqual([
      '***-**-1120',
    ]);
    expect(
      findPii('Numbers 000-12-3456, 666-12-3456, 123-00-4567 and 123-45-0000.', ['SSN']),
    ).toEqual([]);
  });

  it('finds e-mail addresses and masks the local part', () => {
    expect(
      findPii('Write to jane.doe@acme-corp.com or legal@acme.co.uk.', ['EMAIL']).map(
        (m) => m.masked,
      ),
    ).toEqual(['j***@acme-corp.com', 'l***@acme.co.uk']);
    expect(findPii('Our handle is @acme on social media.', ['EMAIL'])).toEqual([]);
  });

  it('finds phone numbers in international and regional notation', () => {
    const found = findPii('Call +44 20 7946 0958 or (415) 555-2671 any time.', ['PHONE']);
    expect(found.map((m) => m.masked)).toEqual(['phone ending 0958', 'phone ending 2671']);
    expect(findPii('Section 4.2.1 of the agreement, dated 2024.', ['PHONE'])).toEqual([]);
  });

  it('reports each kind once, in order, and only the kinds asked for', () => {
    expect(types('Card 4111111111111111, mail a@b.io, SSN 078-05-1120')).toEqual([
      'CARD',
      'EMAIL',
      'SSN',
    ]);
    expect(findPii('mail a@b.io', ['CARD', 'SSN'])).toEqual([]);
  });
});
