import { validate } from 'class-validator';
import { BadUserInputError } from '../errors';

/**
 * type-graphql's validation hook: class-validator rules on input classes, the first
 * failure reported as BAD_USER_INPUT naming the field at fault.
 */
export async function validateInput(argValue: unknown): Promise<void> {
  if (argValue === null || typeof argValue !== 'object') return;
  const values = Array.isArray(argValue) ? argValue : [argValue];
  for (const value of values) {
    if (value === null || typeof value !== 'object' || value.constructor === Object) continue;
    const failures = await validate(value as object, {
      forbidUnknownValues: false,
      validationError: { target: false },
    });
    if (failures.length === 0) continue;
    let failure = failures[0];
    const path = [failure.property];
    while (!failure.constraints && failure.children?.length) {
      failure = failure.children[0];
      path.push(failure.property);
    }
    const message = Object.values(failure.constraints ?? {})[0] ?? `${failure.property} is invalid`;
    throw new BadUserInputError(message, path.join('.'));
  }
}
