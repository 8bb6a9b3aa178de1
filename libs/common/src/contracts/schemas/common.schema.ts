import { z } from 'zod';

export const channelTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'channel type is lower-case letters, digits and dashes');

/** A reference to bytes in the BlobStore; bytes never travel on Kafka. */
export const blobRefSchema = z.object({
  key: z.string().min(1),
  name: z.string().min(1).max(255),
  size: z.number().int().nonnegative(),
  contentType: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type BlobRef = z.infer<typeof blobRefSchema>;

/** An attachment the connector did not store (too large, forbidden type), with the reason. */
export const refusedAttachmentSchema = z.object({
  name: z.string(),
  size: z.number().int().nonnegative().optional(),
  contentType: z.string().optional(),
  reason: z.string().min(1),
});

export const isoDateTime = z.string().datetime({ offset: true });
