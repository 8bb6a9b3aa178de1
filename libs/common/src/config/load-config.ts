import { z } from 'zod';
import { ConfigError, ConfigIssue } from './config-error';

export type Env = Record<string, string | undefined>;

/**
 * Parses the environment into a typed config object with a zod schema whose keys are the
 * variable names (see env-fields.ts). Empty values count as missing. On failure throws a
 * ConfigError naming every missing or malformed variable. The only place that reads process.env.
 */
export function loadConfig<S extends z.ZodTypeAny>(schema: S, env: Env = process.env): z.output<S> {
  const cleaned: Env = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') cleaned[name] = value;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(toIssues(result.error));
}

function toIssues(error: z.ZodError): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const issue of error.issues) {
    const variable = issue.path.map(String).join('.');
    const problem =
      issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined'
        ? 'is required'
        : issue.message;
    const key = `${variable}\u0000${problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ variable, problem });
  }
  return issues;
}
