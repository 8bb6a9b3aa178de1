export * from './private-dovecot';
export * from './smtp-sink';
export * from './free-port';
