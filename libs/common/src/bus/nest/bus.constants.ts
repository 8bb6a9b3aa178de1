/** Injection token of the MessageBus that BusModule provides. */
export const MESSAGE_BUS = Symbol('MESSAGE_BUS');

/** Injection token of the options BusModule was configured with. */
export const BUS_MODULE_OPTIONS = Symbol('BUS_MODULE_OPTIONS');
