import { IsEmail, IsString, Matches, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { PASSWORD_MAX_LENGTH, passwordProblem } from '../services/password-policy';

/**
 * The class-validator rules shared by the accounts inputs; core/graphql/validate-input.ts
 * reports the first failure as BAD_USER_INPUT with the field at fault.
 */
function all(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => {
    for (const decorator of decorators) decorator(target, property);
  };
}

export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 100;

/** A deliverable-looking address of at most 254 characters (RFC 5321). Stored lower-cased. */
export function IsAccountEmail(): PropertyDecorator {
  return all(
    IsEmail({}, { message: '$property must be a valid e-mail address' }),
    MaxLength(EMAIL_MAX_LENGTH, {
      message: `$property must be at most ${EMAIL_MAX_LENGTH} characters long`,
    }),
  );
}

/** Control characters (NUL above all, which PostgreSQL text cannot hold) are never accepted. */
function HasNoControlCharacters(): PropertyDecorator {
  return Matches(/^\P{Cc}*$/u, { message: '$property must not contain control characters' });
}

/** A display name: 1 to 100 characters, not only spaces, no control characters. */
export function IsDisplayName(): PropertyDecorator {
  return all(
    IsString(),
    MaxLength(NAME_MAX_LENGTH, {
      message: `$property must be at most ${NAME_MAX_LENGTH} characters long`,
    }),
    Matches(/\S/, { message: '$property must not be blank' }),
    HasNoControlCharacters(),
  );
}

/** A password that services/password-policy.ts accepts; the message says what is wrong. */
export function IsAcceptablePassword(): PropertyDecorator {
  return ValidateBy({
    name: 'isAcceptablePassword',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && passwordProblem(value) === null,
      defaultMessage: (args) =>
        (typeof args?.value === 'string' && passwordProblem(args.value)) ||
        'password must be a string',
    },
  });
}

/** Credentials as typed at sign-in are only bounded: the check is the comparison itself. */
function IsBounded(maxLength: number): PropertyDecorator {
  return all(
    MinLength(1, { message: '$property must not be empty' }),
    MaxLength(maxLength, { message: `$property must be at most ${maxLength} characters long` }),
  );
}

/** The address typed at sign-in: any string that could be stored (a wrong one simply fails). */
export function IsLoginEmail(): PropertyDecorator {
  return all(IsBounded(EMAIL_MAX_LENGTH), HasNoControlCharacters());
}

/** The password typed at sign-in: never longer than a password could have been set. */
export function IsLoginPassword(): PropertyDecorator {
  return IsBounded(PASSWORD_MAX_LENGTH);
}
