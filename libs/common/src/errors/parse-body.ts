import { z } from 'zod';
import { ValidationFailedError } from './validation-failed.error';
import { fieldProblemsOf } from './zod-issues';

/** Validates input against a zod schema; ValidationFailedError (400, failing fields) when it does not fit. */
export function parseBody<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationFailedError(fieldProblemsOf(result.error));
}
