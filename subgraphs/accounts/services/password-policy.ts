/**
 * What makes a password acceptable: 10 to 200 characters, not a well-known password (also
 * with its decorations stripped: "Password123!" is "password"), at least 5 different
 * characters, and a mix of at least 3 of 4 character classes unless it is a passphrase
 * of 16 characters or more (length beats complexity; NIST SP 800-63B).
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
export const PASSPHRASE_LENGTH = 16;
const MIN_DISTINCT_CHARACTERS = 5;

/** The most used passwords of public breach lists, and the words they are built on. */
const COMMON_PASSWORDS = new Set([
  '123456789',
  '1234567890',
  '0123456789',
  '0987654321',
  '9876543210',
  '12345678910',
  '1111111111',
  '1q2w3e4r5t',
  '1q2w3e4r5t6y',
  'q1w2e3r4t5',
  'qwerty',
  'qwertyuiop',
  'qwerty123',
  'qwertz',
  'azerty',
  'asdfghjkl',
  'asdfasdf',
  'zxcvbnm',
  'zxcvbnm123',
  'qazwsx',
  'qazwsxedc',
  'zaq12wsx',
  '1qaz2wsx',
  '1qaz2wsx3edc',
  'password',
  'passwort',
  'passw0rd',
  'password1',
  'password123',
  'pass',
  'passpass',
  'mypassword',
  'letmein',
  'welcome',
  'welcome1',
  'admin',
  'administrator',
  'root',
  'login',
  'access',
  'master',
  'secret',
  'changeme',
  'default',
  'guest',
  'test',
  'tester',
  'testing',
  'iloveyou',
  'loveyou',
  'lovely',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'basketball',
  'soccer',
  'hockey',
  'sunshine',
  'princess',
  'trustno',
  'trustnoone',
  'abc',
  'abcdef',
  'abcdefg',
  'abcdefgh',
  'abcdefghij',
  'superman',
  'batman',
  'spiderman',
  'starwars',
  'pokemon',
  'shadow',
  'michael',
  'jennifer',
  'jordan',
  'hunter',
  'ranger',
  'buster',
  'thomas',
  'robert',
  'daniel',
  'jessica',
  'charlie',
  'whatever',
  'freedom',
  'hello',
  'helloworld',
  'computer',
  'internet',
  'summer',
  'winter',
  'spring',
  'autumn',
  'flower',
  'cookie',
  'cheese',
  'chocolate',
  'killer',
  'matrix',
  'mustang',
  'ferrari',
  'corvette',
  'harley',
  'yankees',
  'liverpool',
  'chelsea',
  'arsenal',
  'samsung',
  'google',
  'apple',
  'microsoft',
  'linkedin',
  'facebook',
  'qwertyui',
  'asdfgh',
  'docent',
  'company',
  'business',
  'letmeinnow',
  'nothing',
  'anything',
  'something',
  'everything',
]);

/** Common character substitutions, undone before the list is checked. */
const LEET: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '8': 'b',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
};

function variants(password: string): string[] {
  const lower = password.toLowerCase();
  const undecorated = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const unleeted = undecorated.replace(/[@48310!$57]/g, (c) => LEET[c]);
  const bare = lower.replace(/[^\p{L}\p{N}]+/gu, '');
  return [lower, undecorated, unleeted, bare];
}

const CLASSES: RegExp[] = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u];

/** The reason a password is refused, addressed to the person choosing it; null when it is fine. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    return `password must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  if (length > PASSWORD_MAX_LENGTH)
    return `password must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  if (variants(password).some((v) => COMMON_PASSWORDS.has(v))) {
    return 'password is too common: it appears on lists of leaked passwords; choose another';
  }
  if (new Set(password).size < MIN_DISTINCT_CHARACTERS) {
    return `password must use at least ${MIN_DISTINCT_CHARACTERS} different characters`;
  }
  const classes = CLASSES.filter((pattern) => pattern.test(password)).length;
  if (length < PASSPHRASE_LENGTH && classes < 3) {
    return `password must mix at least 3 of lower-case letters, upper-case letters, digits and symbols, or be at least ${PASSPHRASE_LENGTH} characters long`;
  }
  return null;
}
