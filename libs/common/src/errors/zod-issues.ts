import type { ZodError } from 'zod';
import type { FieldProblem } from './validation-failed.error';

/** zod issues → field problems with dotted paths. */
export function fieldProblemsOf(error: ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.code === 'invalid_type' && issue.received === 'undefined' ? 'is required' : issue.message,
    code: issue.code,
  }));
}
