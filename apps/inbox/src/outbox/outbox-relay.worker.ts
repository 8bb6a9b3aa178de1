import '../../../../libs/common/src/nest/module-aliases'; // first: resolves @switchboard/* at run time
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { parentPort, workerData } from 'node:worker_threads';
import { RelayLoop } from './outbox-relay.loop';
import type { RelayWorkerData, RelayWorkerEvent } from './outbox-relay.worker-protocol';

/**
 * The outbox relay's thread (started by OutboxRelay): its own Kafka producer and Postgres session, so
 * publishing never takes the event loop that ingests messages and answers the API. Tells the main
 * thread about leadership, counts and log lines; stops when asked.
 */
const data = workerData as RelayWorkerData;
const port = parentPort;
if (!port) throw new Error('outbox-relay.worker runs as a worker thread');
const tell = (event: RelayWorkerEvent): void => port.postMessage(event);

const bus = new KafkaBus({ ...data.kafka });
const loop = new RelayLoop(bus, data.relay, {
  leader: (isLeader) => tell({ type: 'leader', isLeader }),
  published: (count) => tell({ type: 'published', count }),
  log: (level, message) => tell({ type: 'log', level, message }),
});

port.on('message', (message: { type: string }) => {
  if (message.type !== 'stop') return;
  void (async () => {
    await loop.stop();
    await bus.close().catch((error: unknown) => tell({ type: 'log', level: 'warn', message: `outbox relay: closing the bus: ${(error as Error).message}` }));
    tell({ type: 'stopped' });
    port.close();
  })();
});

loop.start();
tell({ type: 'started' });
