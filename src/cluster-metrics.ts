import type { Worker } from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Registry } from 'prom-client';
import type { Metrics } from './metrics';

/**
 * GET /metrics with several workers (WORKERS > 1): whichever worker a scrape reaches asks the primary,
 * which asks every worker for its metrics (prom-client's JSON) over the cluster's IPC channel and
 * answers with one text for the whole machine. Series are aggregated as prom-client does: counters,
 * histograms and most gauges summed over the workers (requests, sockets, subscriptions, pool
 * connections, memory), the event stream's lag and the outbox gauges as their maximum (every worker
 * reads the same outbox), Node's version as the first. Besides, per worker (`worker` label: its slot,
 * 1..WORKERS, kept by a replacement) its requests, sockets and memory, and the primary's own memory and
 * restarts. A worker that does not answer within COLLECT_MS is left out of that scrape
 * (`vpdt_cluster_workers_reporting` says how many answered).
 */

const COLLECT_MS = 5000;

/** One process's metrics as prom-client's JSON. */
type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** Messages between the primary and the workers; `vpdt` tells them from anything else on the channel. */
export type ClusterMessage =
  | { vpdt: 'ready'; port: number }
  | { vpdt: 'failed'; reason: string }
  | { vpdt: 'metrics:render'; id: number }
  | { vpdt: 'metrics:text'; id: number; contentType?: string; body?: string; error?: string }
  | { vpdt: 'metrics:collect'; id: number }
  | { vpdt: 'metrics:json'; id: number; json?: MetricsJson; error?: string };

export function clusterMessage(m: unknown): ClusterMessage | null {
  return m && typeof m === 'object' && typeof (m as { vpdt?: unknown }).vpdt === 'string' ? (m as ClusterMessage) : null;
}

/** In a worker: answers the primary's requests for this worker's metrics, and serves every worker's on /metrics. */
export function workerMetrics(metrics: Metrics): void {
  const send = (m: ClusterMessage) => process.send?.(m);
  let next = 0;
  const waiting = new Map<number, (m: Extract<ClusterMessage, { vpdt: 'metrics:text' }>) => void>();
  process.on('message', (raw) => {
    const m = clusterMessage(raw);
    if (m?.vpdt === 'metrics:collect') {
      metrics.json().then(
        (json) => send({ vpdt: 'metrics:json', id: m.id, json }),
        (err: Error) => send({ vpdt: 'metrics:json', id: m.id, error: err.message }),
      );
    } else if (m?.vpdt === 'metrics:text') waiting.get(m.id)?.(m);
  });
  metrics.renderer = () =>
    new Promise((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the primary process did not answer with the metrics'));
      }, COLLECT_MS * 2);
      waiting.set(id, (m) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (m.body !== undefined && m.contentType) resolve({ contentType: m.contentType, body: m.body });
        else reject(new Error(m.error ?? 'the metrics could not be collected'));
      });
      send({ vpdt: 'metrics:render', id });
    });
}

interface Collect {
  pending: Set<number>;
  answers: Array<{ slot: number; json: MetricsJson }>;
  done: () => void;
}

/** In the primary: collects and aggregates the workers' metrics for the worker that was scraped. */
export class ClusterMetrics {
  private next = 0;
  private readonly collects = new Map<number, Collect>();
  restarts = 0;

  constructor(
    private readonly workers: () => Array<{ slot: number; worker: Worker }>,
    private readonly configured: number,
  ) {}

  /** A message from a worker; true when it was about metrics. */
  handle(from: Worker, slot: number, m: ClusterMessage): boolean {
    if (m.vpdt === 'metrics:render') {
      this.render().then(
        ({ contentType, body }) => from.isConnected() && from.send({ vpdt: 'metrics:text', id: m.id, contentType, body } satisfies ClusterMessage),
        (err: Error) => from.isConnected() && from.send({ vpdt: 'metrics:text', id: m.id, error: err.message } satisfies ClusterMessage),
      );
      return true;
    }
    if (m.vpdt === 'metrics:json') {
      const c = this.collects.get(m.id);
      if (c && c.pending.delete(slot)) {
        if (m.json) c.answers.push({ slot, json: m.json });
        if (!c.pending.size) c.done();
      }
      return true;
    }
    return false;
  }

  private async collect(): Promise<Array<{ slot: number; json: MetricsJson }>> {
    const id = this.next++;
    const c: Collect = { pending: new Set(), answers: [], done: () => undefined };
    const finished = new Promise<void>((resolve) => (c.done = resolve));
    this.collects.set(id, c);
    for (const { slot, worker } of this.workers()) {
      if (!worker.isConnected()) continue;
      c.pending.add(slot);
      worker.send({ vpdt: 'metrics:collect', id } satisfies ClusterMessage);
    }
    if (!c.pending.size) c.done();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise<void>((resolve) => (timer = setTimeout(resolve, COLLECT_MS)))]);
    clearTimeout(timer);
    this.collects.delete(id);
    return c.answers.sort((a, b) => a.slot - b.slot);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    const answers = await this.collect();
    const aggregated = AggregatorRegistry.aggregate<Registry['contentType']>(answers.map((a) => a.json));
    const all = Registry.merge([aggregated, this.perWorker(answers)]);
    return { contentType: all.contentType, body: await all.metrics() };
  }

  /** The primary's own series and a few per worker. */
  private perWorker(answers: Array<{ slot: number; json: MetricsJson }>): Registry {
    const registers = [new Registry()];
    const sum = (json: MetricsJson, name: string) => json.find((m) => m.name === name)?.values.reduce((s, v) => s + v.value, 0) ?? 0;
    const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers });
    gauge('vpdt_cluster_workers', 'Worker processes configured (WORKERS).').set(this.configured);
    gauge('vpdt_cluster_workers_reporting', 'Workers whose metrics are in this scrape.').set(answers.length);
    new Counter({ name: 'vpdt_cluster_worker_restarts_total', help: 'Workers the primary started again after they exited.', registers }).inc(this.restarts);
    gauge('vpdt_cluster_primary_resident_memory_bytes', "The primary process's resident memory.").set(process.memoryUsage().rss);
    const requests = gauge('vpdt_cluster_worker_http_requests', 'HTTP requests answered by each worker since it started.', ['worker']);
    const sockets = gauge('vpdt_cluster_worker_websocket_connections', 'WebSocket connections open on each worker.', ['worker']);
    const memory = gauge('vpdt_cluster_worker_resident_memory_bytes', "Each worker's resident memory.", ['worker']);
    for (const { slot, json } of answers) {
      const worker = String(slot);
      requests.set({ worker }, sum(json, 'vpdt_http_requests_total'));
      sockets.set({ worker }, sum(json, 'vpdt_websocket_connections'));
      memory.set({ worker }, sum(json, 'vpdt_process_resident_memory_bytes'));
    }
    return registers[0];
  }
}
