/** E-mail addresses are compared and stored lower-cased, without surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
