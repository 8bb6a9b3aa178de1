/** One variable that is missing or malformed. */
export interface ConfigIssue {
  /** the environment variable (empty when the issue concerns several) */
  variable: string;
  /** what is wrong, e.g. "is required", "must be 32 bytes base64" */
  problem: string;
}

/**
 * The environment does not satisfy a service's config schema. The message names every variable
 * at fault: "Invalid environment: KAFKA_BROKERS is required; SECRETS_KEY must be 32 bytes base64".
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly issues: ConfigIssue[]) {
    super(`Invalid environment: ${issues.map(ConfigError.describe).join('; ')}`);
  }

  static describe(issue: ConfigIssue): string {
    if (!issue.variable) return issue.problem;
    return /^[a-z]/.test(issue.problem)
      ? `${issue.variable} ${issue.problem}`
      : `${issue.variable}: ${issue.problem}`;
  }
}
