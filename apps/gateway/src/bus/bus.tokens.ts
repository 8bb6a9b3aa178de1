/** Injection token of the MessageBus the gateway uses (KafkaBus; tests may give an InMemoryBus). */
export const GATEWAY_BUS = Symbol('GATEWAY_BUS');

/** Injection token of this process's instance id (names its per-instance consumer groups). */
export const GATEWAY_INSTANCE_ID = Symbol('GATEWAY_INSTANCE_ID');
