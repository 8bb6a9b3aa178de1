import { logCreator, logLevel } from 'kafkajs';
import { BusLogger } from '../bus.port';

/** kafkajs' own logs, through the bus's logger. */
export function kafkaLogCreator(logger: BusLogger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, ...extra } = log;
      const entry = { kafkajs: namespace, ...extra };
      const text = `kafkajs: ${message}`;
      if (level === logLevel.ERROR) logger.error(entry, text);
      else if (level === logLevel.WARN) logger.warn(entry, text);
      else if (level === logLevel.INFO) logger.info(entry, text);
      else logger.debug(entry, text);
    };
}
