import { Counter, Gauge, Histogram, Registry } from 'prom-client';

type CounterLabels = 'connector' | 'channel_type';

/**
 * The host's Prometheus metrics, registered on the app's registry (the one /metrics serves) or on
 * a private one. Several hosts may share a registry: metrics are looked up before being created
 * and every series carries the connector id.
 */
export class ConnectorMetrics {
  readonly registry: Registry;
  private readonly labels: Record<CounterLabels, string>;
  private readonly inbound: Counter<CounterLabels>;
  private readonly deadLetters: Counter<CounterLabels | 'source'>;
  private readonly sent: Counter<CounterLabels>;
  private readonly failed: Counter<CounterLabels | 'code' | 'permanent'>;
  private readonly retries: Counter<CounterLabels | 'code'>;
  private readonly duplicates: Counter<CounterLabels>;
  private readonly sendSeconds: Histogram<CounterLabels | 'outcome'>;
  private readonly sessions: Gauge<CounterLabels | 'state'>;

  constructor(connectorId: string, channelType: string, registry?: Registry) {
    this.registry = registry ?? new Registry();
    this.labels = { connector: connectorId, channel_type: channelType };
    const labelNames: CounterLabels[] = ['connector', 'channel_type'];
    this.inbound = this.counter(
      'switchboard_connector_inbound_messages_total',
      'Inbound messages published to inbox.inbound.v1',
      labelNames,
    );
    this.deadLetters = this.counter(
      'switchboard_connector_dead_letters_total',
      'Records the connector sent to the DLQ',
      [...labelNames, 'source'],
    );
    this.sent = this.counter(
      'switchboard_connector_outbound_sent_total',
      'Outbound messages sent',
      labelNames,
    );
    this.failed = this.counter(
      'switchboard_connector_outbound_failed_total',
      'Outbound messages that got a failed receipt, by ConnectorError code',
      [...labelNames, 'code', 'permanent'],
    );
    this.retries = this.counter(
      'switchboard_connector_outbound_retries_total',
      'Outbound send attempts retried, by ConnectorError code',
      [...labelNames, 'code'],
    );
    this.duplicates = this.counter(
      'switchboard_connector_outbound_duplicates_total',
      'Outbound messages skipped because this instance already sent them',
      labelNames,
    );
    this.sendSeconds =
      (this.registry.getSingleMetric('switchboard_connector_send_duration_seconds') as
        Histogram<CounterLabels | 'outcome'> | undefined) ??
      new Histogram({
        name: 'switchboard_connector_send_duration_seconds',
        help: 'Duration of one InboxSession.send call',
        labelNames: [...labelNames, 'outcome'],
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [this.registry],
      });
    this.sessions =
      (this.registry.getSingleMetric('switchboard_connector_inboxes') as
        Gauge<CounterLabels | 'state'> | undefined) ??
      new Gauge({
        name: 'switchboard_connector_inboxes',
        help: 'Inboxes this host instance serves, by state',
        labelNames: [...labelNames, 'state'],
        registers: [this.registry],
      });
  }

  inboundEmitted(count: number): void {
    this.inbound.inc(this.labels, count);
  }

  deadLettered(source: 'inbound' | 'outbound'): void {
    this.deadLetters.inc({ ...this.labels, source });
  }

  outboundSent(): void {
    this.sent.inc(this.labels);
  }

  outboundFailed(code: string, permanent: boolean): void {
    this.failed.inc({ ...this.labels, code, permanent: String(permanent) });
  }

  outboundRetried(code: string): void {
    this.retries.inc({ ...this.labels, code });
  }

  outboundDuplicate(): void {
    this.duplicates.inc(this.labels);
  }

  /** starts a send timer; call the result with the outcome when the send returns */
  startSend(): (outcome: 'sent' | 'error') => void {
    const end = this.sendSeconds.startTimer(this.labels);
    return (outcome) => end({ outcome });
  }

  /** the number of inboxes in each state (replaces the previous figures) */
  inboxStates(counts: Record<string, number>): void {
    for (const [state, count] of Object.entries(counts)) this.sessions.set({ ...this.labels, state }, count);
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return (
      (this.registry.getSingleMetric(name) as Counter<L> | undefined) ??
      new Counter({ name, help, labelNames, registers: [this.registry] })
    );
  }
}
