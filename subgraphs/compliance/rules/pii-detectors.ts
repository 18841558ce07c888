import cardValidator from 'card-validator';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js';
import type { PiiType } from './rule-params';

/** One piece of personal data found in a text, already masked: the raw value never leaves here. */
export interface PiiMatch {
  type: PiiType;
  masked: string;
  /** Offset in the text, for ordering and de-duplication. */
  at: number;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// Dashed or spaced; area 000/666/9xx, group 00 and serial 0000 are never issued.
const SSN = /(?<![\d-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\d-])/g;
// 13-19 digits, optionally grouped by single spaces or dashes.
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
// Country, check digits, then up to 30 letters/digits, optionally grouped by spaces.
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/g;

function lastFour(digits: string): string {
  return digits.slice(-4);
}

export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local[0]}***@${domain}`;
}

function findEmails(text: string): PiiMatch[] {
  return [...text.matchAll(EMAIL)].map((m) => ({
    type: 'EMAIL',
    masked: maskEmail(m[0]),
    at: m.index,
  }));
}

function findSsns(text: string): PiiMatch[] {
  return [...text.matchAll(SSN)].map((m) => ({
    type: 'SSN',
    masked: `***-**-${lastFour(m[0])}`,
    at: m.index,
  }));
}

/** Card numbers that pass Luhn and match a card brand's prefix and length. */
function findCards(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const m of text.matchAll(CARD)) {
    const digits = m[0].replace(/[ -]/g, '');
    const check = cardValidator.number(digits, { maxLength: 19 });
    if (!check.isValid) continue;
    found.push({
      type: 'CARD',
      masked: `${check.card?.niceType ?? 'card'} ending ${lastFour(digits)}`,
      at: m.index,
    });
  }
  return found;
}

/**
 * IBANs whose mod-97 check passes (and whose length fits the country). A match may run into the
 * next word, so the longest valid prefix of the compacted candidate is taken.
 */
function findIbans(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const m of text.matchAll(IBAN)) {
    const compact = electronicFormatIBAN(m[0]) ?? m[0].replace(/ /g, '');
    for (let length = Math.min(compact.length, 34); length >= 15; length--) {
      const candidate = compact.slice(0, length);
      if (!isValidIBAN(candidate)) continue;
      found.push({
        type: 'IBAN',
        masked: `${candidate.slice(0, 2)}** **** ${lastFour(candidate)}`,
        at: m.index,
      });
      break;
    }
  }
  return found;
}

// Runs of digits with phone punctuation, at least 7 digits: the only places a number can be.
const PHONE_CANDIDATE = /(?:\+\s?)?(?:\(\d{1,4}\)[\s.-]?)?\d(?:[\s.\-/]?\d){6,16}/g;

/**
 * libphonenumber scans a whole text slowly (milliseconds per page); it is asked only about
 * the phone-shaped runs a cheap pattern finds, each with a little context.
 */
function findPhones(text: string, region: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const candidate of text.matchAll(PHONE_CANDIDATE)) {
    const start = Math.max(0, candidate.index - 1);
    const piece = text.slice(start, candidate.index + candidate[0].length + 1);
    for (const m of findPhoneNumbersInText(piece, { defaultCountry: region as CountryCode }))
      found.push({
        type: 'PHONE',
        masked: `phone ending ${lastFour(m.number.number)}`,
        at: start + m.startsAt,
      });
  }
  return found;
}

/** Every piece of personal data of the given types in `text`, in the order it appears. */
export function findPii(text: string, types: readonly PiiType[], phoneRegion = 'US'): PiiMatch[] {
  const wanted = new Set(types);
  const matches: PiiMatch[] = [];
  if (wanted.has('EMAIL')) matches.push(...findEmails(text));
  if (wanted.has('SSN')) matches.push(...findSsns(text));
  if (wanted.has('IBAN')) matches.push(...findIbans(text));
  if (wanted.has('CARD')) matches.push(...findCards(text));
  // A card or IBAN's digits can read as a phone number: phones overlapping them are dropped.
  if (wanted.has('PHONE')) {
    const taken = matches.filter((m) => m.type === 'CARD' || m.type === 'IBAN').map((m) => m.at);
    matches.push(...findPhones(text, phoneRegion).filter((p) => !taken.includes(p.at)));
  }
  return matches.sort((a, b) => a.at - b.at);
}
