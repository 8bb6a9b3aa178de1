/** Injection token of the MessageBus the inbox uses (KafkaBus in production, InMemoryBus in the single-process mode). */
export const MESSAGE_BUS = Symbol('INBOX_MESSAGE_BUS');
