import { z } from 'zod';

export const uploadAttachmentQuerySchema = z.object({ name: z.string().trim().min(1).max(255) });

export const downloadAttachmentQuerySchema = z.object({ key: z.string().min(1).max(500) });
