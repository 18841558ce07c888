import { detectLanguage, textSearchConfigFor } from './text-search-config';

describe('text-search configuration', () => {
  it('detects the language of real prose and maps it to a PostgreSQL configuration', () => {
    const german =
      'Dieser Vertrag wird zwischen der Nordwind GmbH und der Kontoso AG geschlossen. Die Laufzeit beträgt zwölf Monate ab dem Tag der Unterzeichnung. Die Vergütung ist innerhalb von dreißig Tagen nach Rechnungsstellung fällig.';
    const english =
      'This agreement is entered into between Northwind Traders and Contoso Consulting. The term is twelve months from the date of signature. Fees are payable within thirty days of the invoice date.';
    expect(textSearchConfigFor(detectLanguage(german))).toBe('german');
    expect(textSearchConfigFor(detectLanguage(english))).toBe('english');
  });

  it('defaults to english when the text is too short to tell, and falls back to simple', () => {
    expect(detectLanguage('Invoice 42')).toBeNull();
    expect(textSearchConfigFor(null)).toBe('english');
    expect(textSearchConfigFor('ja')).toBe('simple');
    expect(textSearchConfigFor('fr-CA')).toBe('french');
    expect(textSearchConfigFor('Spanish')).toBe('spanish');
  });
});
