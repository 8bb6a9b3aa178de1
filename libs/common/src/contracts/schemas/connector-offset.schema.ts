import { z } from 'zod';

export const CONNECTOR_OFFSET_TYPE = 'switchboard.connector.offset.v1';

/**
 * A connector's source cursor, kept in the compacted topic connector.offsets.v1 with key
 * `<connector>:<inboxId>` (the model Kafka Connect uses for source offsets). `position` is the
 * connector's own (IMAP: {uidValidity, lastUid}; Telegram: {updateId}).
 */
export const connectorOffsetSchema = z.object({
  connector: z.string().min(1),
  inboxId: z.string().uuid(),
  position: z.record(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  updatedAt: z.string().datetime({ offset: true }),
});
export type ConnectorOffset = z.infer<typeof connectorOffsetSchema>;
