import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidationFailedError, type FieldError } from '../errors/domain-error.js';

/** Rejects unknown and mistyped fields with VALIDATION_FAILED and a `details.fields` list. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    // Every constraint of a field runs (a handful of cheap checks), so `flatten` can report the type when the
    // type is wrong: class-validator runs decorators bottom-up, and with stopAtFirstError `{"refresh": 1}`
    // was told about lengths, by whichever constraint happened to be declared last.
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const summary = fields.map((f) => f.message).join('; ');
      return new ValidationFailedError(summary || 'The request is not valid', fields);
    },
  });
}

/** Constraints about what a value is, not what it holds: when one fails, the others have nothing to judge. */
const TYPE_CONSTRAINTS = ['whitelistValidation', 'isDefined', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject', 'isEnum', 'isIn', 'nestedValidation'];

/** One message per field: the type's when the type is wrong, else the first constraint that failed. */
function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    const first = TYPE_CONSTRAINTS.find((name) => name in constraints) ?? Object.keys(constraints)[0];
    const own = first === undefined ? [] : [{ field, message: constraints[first].replace(/^property (\S+) should not exist$/, '$1 is not an accepted field') }];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
