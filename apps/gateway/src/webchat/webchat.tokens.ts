/** Injection token of the BlobStore web chat attachments go to. */
export const WEBCHAT_BLOBS = Symbol('WEBCHAT_BLOBS');
