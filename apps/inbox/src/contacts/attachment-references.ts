/**
 * SQL that is true while a message still refers to the attachment file `keyExpression` names (a column or a
 * parameter); it is answered from messages_attachments_idx, which holds only messages with attachments.
 */
export function attachmentStillReferenced(keyExpression: string): string {
  return `EXISTS (SELECT 1 FROM messages m WHERE m.attachments <> '[]'::jsonb AND m.attachments @> jsonb_build_array(jsonb_build_object('key', ${keyExpression})))`;
}
