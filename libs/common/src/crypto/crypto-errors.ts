/** A ciphertext could not be opened: wrong key, tampered data, or not a ciphertext at all. */
export class SecretDecryptionError extends Error {
  override readonly name = 'SecretDecryptionError';
  readonly code = 'SECRET_DECRYPTION_FAILED';
}
