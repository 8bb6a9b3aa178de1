import { BusMessage, CloudEvent, cloudEventSchema, NonRetryableError } from '@switchboard/common';

/**
 * Parses a bus record as a CloudEvent envelope of one of `allowedTypes` without checking `data`
 * (for the host's own barrier records, which the shared event registry does not list; everything
 * else goes through @switchboard/common's decodeEvent). Anything else throws NonRetryableError.
 */
export function decodeEnvelope(message: BusMessage, allowedTypes: readonly string[]): CloudEvent<unknown> {
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    throw new NonRetryableError(`not JSON: ${(error as Error).message}`);
  }
  const parsed = cloudEventSchema.safeParse(json);
  if (!parsed.success)
    throw new NonRetryableError(`not a CloudEvent: ${describeIssues(parsed.error.issues)}`);
  if (!allowedTypes.includes(parsed.data.type)) {
    throw new NonRetryableError(
      `unexpected event type ${parsed.data.type} (expected ${allowedTypes.join(' or ')})`,
    );
  }
  return parsed.data as CloudEvent<unknown>;
}

/** zod issues as one line, for a reason field */
export function describeIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<string | number>; message: string }>,
): string {
  return issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
