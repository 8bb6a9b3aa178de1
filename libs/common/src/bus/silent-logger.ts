import { BusLogger } from './bus.port';

const nothing = (): void => undefined;

/** The logger of a bus given none. */
export const silentLogger: BusLogger = { debug: nothing, info: nothing, warn: nothing, error: nothing };
