export * from './crypto-errors';
export * from './secret-box';
export * from './hmac';
export * from './webhook-signature';
export * from './base32';
export * from './reply-token-signer';
