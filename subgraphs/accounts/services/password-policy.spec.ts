import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it.each(['Tr0ub4dor&3x', 'correct horse battery staple', 'kx9-Qv7mPz', 'Ünïcødé-Pässwört-9'])(
    'accepts %s',
    (password) => {
      expect(passwordProblem(password)).toBeNull();
    },
  );

  it('refuses passwords shorter than 10 or longer than 200 characters', () => {
    expect(passwordProblem('Ab1!xyz')).toBe('password must be at least 10 characters long');
    expect(passwordProblem('Ab1!'.repeat(51))).toBe('password must be at most 200 characters long');
    expect(passwordProblem('Ab1!x'.repeat(40))).toBeNull();
  });

  it('counts characters, not UTF-16 units', () => {
    // 9 emoji are 18 UTF-16 units but 9 characters.
    expect(passwordProblem('😀😁😂🤣😃😄😅😆😉')).toBe(
      'password must be at least 10 characters long',
    );
  });

  it.each([
    'password123',
    'Password123!',
    'P@ssw0rd2024',
    'Qwertyuiop!',
    '1234567890',
    'Welcome1!!',
    'LetMeIn!2025',
    'Sunshine#99',
  ])('refuses the common password %s', (password) => {
    expect(passwordProblem(password)).toMatch(/too common/);
  });

  it('refuses passwords made of too few characters, even long ones', () => {
    expect(passwordProblem('abababababababababab')).toBe(
      'password must use at least 5 different characters',
    );
  });

  it('asks short passwords for 3 of 4 character classes', () => {
    expect(passwordProblem('zebracaramel')).toMatch(/mix at least 3 of/);
    expect(passwordProblem('zebracaramel77')).toMatch(/mix at least 3 of/);
    expect(passwordProblem('Zebracaramel77')).toBeNull();
    expect(passwordProblem('zebra-caramel-7')).toBeNull();
  });

  it('lets long passphrases through with a single class', () => {
    expect(passwordProblem('zebracaramelvolcano')).toBeNull();
  });
});
