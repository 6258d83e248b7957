import type { MikroORM } from '@mikro-orm/postgresql';
import { Correspondent, OutgoingDocument, OutgoingRecipient } from '../../entities';
import { ExchangeMessage, ExchangeMessageKind } from '../../entities/ExchangeMessage';
import type { AppServices } from '../context';
import { BusinessDocType, buildStatus } from '../domain/exchange/edxml';
import { EXCHANGE_HEADERS, FINISHED_STATES, MAX_PREPARE_FAILURES, OutboxState, outcomeOf, retryDelayMs, signMessage } from '../domain/exchange/delivery';
import { LockMode } from '@mikro-orm/core';
import { DeliveryState } from '../../entities/OutgoingRecipient';
import { openSecret, packageOf } from './exchange.service';
import { organIdOf } from '../services/agencies';
import { RoutingEventKind } from '../domain/documents/document-enums';
import { recordEvent } from '../services/history';
import { withTransaction } from '../transaction';
import { InternalPeerAddress, checkedLookup, systemLookup } from './peer-address';
import { normaliseHost } from '../domain/exchange/address';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

/** How many messages (to different peers) are in flight at once from one process. */
const IN_FLIGHT = 4;

/**
 * Delivers the exchange outbox. Any number of processes may run one: a message is claimed with
 * FOR UPDATE SKIP LOCKED and a claim deadline, so one process sends it at a time, and a message is
 * only taken when every earlier message to the same peer is finished, so a peer receives them in
 * the order they were written (a package before its recall, 01 before 03). A message the peer
 * acknowledged is never sent again; one that failed is retried with backoff until it is.
 */
export class ExchangeSender {
  private timer: NodeJS.Timeout | null = null;
  private running = 0;
  private stopped = false;
  private pumping = false;
  private again = false;
  /** Delivery attempts made by this process, by what came of them (metrics). */
  readonly attemptOutcomes: Record<'ACKNOWLEDGED' | 'REFUSED' | 'RETRY', number> = { ACKNOWLEDGED: 0, REFUSED: 0, RETRY: 0 };
  /** Aborts the requests in flight when the process stops; their claims run out and another attempt follows. */
  private stopping = new AbortController();

  constructor(
    private readonly orm: MikroORM,
    private readonly app: AppServices,
  ) {}

  start(): void {
    this.stopped = false;
    this.stopping = new AbortController();
    this.schedule(0);
  }

  /** Looks for due messages now: called once a change that queued some has committed (tx.afterCommit). */
  wake(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.running > 0 || this.pumping) await new Promise((r) => setTimeout(r, 20));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pump(), ms);
    this.timer.unref();
  }

  private async pump(): Promise<void> {
    this.timer = null;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      while (!this.stopped && this.running < IN_FLIGHT) {
        const claimed = await this.claim();
        if (!claimed) break;
        this.running++;
        void this.deliver(claimed.id, claimed.attempt).finally(() => {
          this.running--;
          this.schedule(0);
        });
      }
    } catch (err) {
      this.app.log.warn({ err }, 'exchange sender could not read the outbox; trying again');
    } finally {
      this.pumping = false;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      } else this.schedule(this.app.config.exchange.pollMs);
    }
  }

  /** Takes the next message that is due and first in line for its peer, or null. */
  private async claim(): Promise<{ id: string; attempt: number } | null> {
    const holdMs = this.app.config.exchange.timeoutMs + 30_000;
    const rows = await this.orm.em.getConnection().execute<{ id: string; attempts: number }[]>(
      `update exchange_message set state = 'SENT', attempts = attempts + 1, last_attempt_at = now(), claimed_until = now() + (? * interval '1 millisecond')
        where id = (
          select m.id from exchange_message m
           where m.state in ('QUEUED', 'FAILED', 'SENT') and m.next_attempt_at <= now() and (m.claimed_until is null or m.claimed_until < now())
             and not exists (select 1 from exchange_message e where e.correspondent_id = m.correspondent_id and e.id < m.id and e.state <> all(array[?]::text[]))
           order by m.id limit 1 for update skip locked)
        returning id, attempts`,
      [holdMs, [...FINISHED_STATES]],
    );
    return rows[0] ? { id: rows[0].id, attempt: rows[0].attempts } : null;
  }

  private async deliver(id: string, attempt: number): Promise<void> {
    const em = this.orm.em.fork();
    let outcome: 'ACKNOWLEDGED' | 'REFUSED' | 'RETRY';
    let detail: string | null;
    let unprepared = false;
    try {
      const m = await em.findOneOrFail(ExchangeMessage, { id });
      const peer = await em.findOneOrFail(Correspondent, { id: m.correspondent.id }, { populate: ['secretCipher', 'agency'] });
      const secret = peer.secretCipher ? openSecret(this.app, peer.secretCipher) : null;
      if (!peer.endpoint || !secret) {
        outcome = 'RETRY';
        detail = 'The correspondent has no exchange endpoint or readable secret: set them (updateCorrespondent) and the message will be sent.';
      } else {
        // The message goes out in the name of the agency whose correspondent the peer is.
        const from = await organIdOf(em, this.app.config, peer.agency.id);
        const xml = await this.messageXml(em, m, peer, from);
        if (m.kind === ExchangeMessageKind.PACKAGE && m.businessDocType === BusinessDocType.NEW && m.recipient) {
          await em
            .getConnection()
            .execute(`update outgoing_recipient set delivery_state = 'SENT' where id = ? and delivery_state = 'QUEUED'`, [m.recipient.id]);
        }
        ({ outcome, detail } = await this.post(peer.endpoint, secret, from, xml));
      }
    } catch (err) {
      this.app.log.error({ err, message: id }, 'exchange message could not be prepared');
      unprepared = true;
      outcome = 'RETRY';
      detail = 'The message could not be prepared on this server (is a file missing?); it will be tried again.';
    }
    this.attemptOutcomes[outcome]++;
    // Stopping: the attempt is left to its claim, which runs out; whoever runs next sends it again.
    if (this.stopped) return;
    try {
      await this.settle(id, attempt, outcome, detail, unprepared);
    } catch (err) {
      // The claim runs out and another attempt follows: the peer takes a repeated message once.
      this.app.log.warn({ err, message: id }, 'exchange outcome could not be saved; the message will be sent again');
    }
  }

  private async messageXml(em: ReturnType<MikroORM['em']['fork']>, m: ExchangeMessage, peer: Correspondent, from: string): Promise<string> {
    if (m.kind === ExchangeMessageKind.STATUS) {
      return buildStatus({
        from: { organId: from, organName: peer.agency.name },
        responseFor: m.exchangeDocumentId,
        statusCode: m.statusCode as never,
        description: m.reason ?? null,
        timestamp: m.createdAt.toISOString(),
        sequence: Number(m.id),
      });
    }
    const doc = await em.findOneOrFail(OutgoingDocument, { id: m.document!.id });
    return packageOf(em, this.app, doc, { to: [peer], businessDocType: m.businessDocType ?? BusinessDocType.NEW, reason: m.reason ?? null });
  }

  private async post(
    endpoint: string,
    secret: string,
    from: string,
    xml: string,
  ): Promise<{ outcome: 'ACKNOWLEDGED' | 'REFUSED' | 'RETRY'; detail: string | null }> {
    const body = Buffer.from(xml, 'utf8');
    const ts = Date.now();
    try {
      const res = await postPinned(
        endpoint,
        {
          'content-type': 'application/xml; charset=utf-8',
          [EXCHANGE_HEADERS.from]: from,
          [EXCHANGE_HEADERS.timestamp]: String(ts),
          [EXCHANGE_HEADERS.signature]: signMessage(secret, from, ts, body),
        },
        body,
        {
          // Resolved once and checked: the connection goes to the address that passed (no DNS rebinding).
          lookup: checkedLookup(this.app.lookup ?? systemLookup, this.app.config.exchange.allowInternalPeers),
          signal: AbortSignal.any([AbortSignal.timeout(this.app.config.exchange.timeoutMs), this.stopping.signal]),
          maxBytes: 4096,
        },
      );
      const outcome = outcomeOf(res.status);
      if (outcome === 'ACKNOWLEDGED') return { outcome, detail: null };
      // Only what an exchange server says in its own terms is kept ({code, message}); any other body is not shown.
      let said = '';
      try {
        const j = JSON.parse(res.text) as { code?: unknown; message?: unknown };
        if (typeof j.code === 'string' && /^[A-Z_]{3,40}$/.test(j.code))
          said = `${j.code}${typeof j.message === 'string' ? `: ${j.message.slice(0, 500)}` : ''}`;
      } catch {
        /* not an exchange server's answer */
      }
      return { outcome, detail: `The peer answered HTTP ${res.status}${said ? ` — ${said}` : ''}`.slice(0, 1000) };
    } catch (err) {
      if (err instanceof InternalPeerAddress)
        return { outcome: 'RETRY', detail: `Not sent: ${err.message}. Set the peer's public endpoint (updateCorrespondent).`.slice(0, 1000) };
      const reason =
        err instanceof Error && err.name === 'TimeoutError'
          ? 'did not answer in time'
          : `could not be reached (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
      return { outcome: 'RETRY', detail: `The peer ${reason}.`.slice(0, 1000) };
    }
  }

  /** Records the outcome on the message and, for a package, on the recipient it delivers. */
  private async settle(id: string, attempt: number, outcome: 'ACKNOWLEDGED' | 'REFUSED' | 'RETRY', detail: string | null, unprepared: boolean): Promise<void> {
    const { retryBaseMs, retryMaxMs } = this.app.config.exchange;
    await withTransaction({ app: this.app, em: this.orm.em.fork(), viewer: undefined }, async (tx) => {
      const { em } = tx;
      const m = await em.findOneOrFail(ExchangeMessage, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (FINISHED_STATES.includes(m.state)) return;
      // Only the attempt that holds the claim settles a failure; an acknowledgement always wins
      // (an attempt that outlived its claim may have been the one the peer took).
      if (outcome !== 'ACKNOWLEDGED' && (m.state !== OutboxState.SENT || m.attempts !== attempt)) return;
      m.claimedUntil = null;
      m.lastError = detail;
      if (unprepared) m.prepareFailures = (m.prepareFailures ?? 0) + 1;
      if (unprepared && m.prepareFailures >= MAX_PREPARE_FAILURES) {
        outcome = 'REFUSED';
        detail =
          m.lastError = `Given up after ${MAX_PREPARE_FAILURES} attempts: the message could not be prepared on this server (is a file missing?). Send the document by hand.`;
      }
      if (outcome === 'ACKNOWLEDGED') {
        m.state = OutboxState.ACKNOWLEDGED;
        m.acknowledgedAt = new Date();
      } else if (outcome === 'REFUSED') {
        m.state = OutboxState.REFUSED;
      } else {
        m.state = OutboxState.FAILED;
        await em
          .getConnection()
          .execute(
            `update exchange_message set next_attempt_at = now() + (? * interval '1 millisecond') where id = ?`,
            [retryDelayMs(m.attempts, retryBaseMs, retryMaxMs), id],
            'run',
            em.getTransactionContext(),
          );
      }
      if (m.kind !== ExchangeMessageKind.PACKAGE || !m.recipient) {
        if (outcome === 'REFUSED') this.app.log.warn({ message: id, reason: detail }, 'a status message was refused by the peer');
        return;
      }
      const recipient = await em.findOneOrFail(OutgoingRecipient, { id: m.recipient.id }, { populate: ['correspondent'] });
      const doc = await em.findOneOrFail(OutgoingDocument, { id: recipient.document.id });
      const peerName = recipient.correspondent?.name ?? '';
      if (m.businessDocType === BusinessDocType.RECALL) {
        if (outcome === 'REFUSED')
          recordEvent(tx, doc, RoutingEventKind.EXCHANGE_FAILED, doc.state, doc.state, `${peerName}: thu hồi không gửi được — ${detail}`);
        return;
      }
      const before = recipient.deliveryState;
      recipient.deliveryState = outcome === 'ACKNOWLEDGED' ? DeliveryState.ACKNOWLEDGED : outcome === 'REFUSED' ? DeliveryState.REFUSED : DeliveryState.FAILED;
      recipient.deliveryError = detail;
      if (recipient.deliveryState === DeliveryState.ACKNOWLEDGED)
        recordEvent(tx, doc, RoutingEventKind.EXCHANGE_DELIVERED, doc.state, doc.state, `${peerName}: đã gửi qua trục liên thông`);
      else if (recipient.deliveryState === DeliveryState.REFUSED)
        recordEvent(tx, doc, RoutingEventKind.EXCHANGE_REFUSED, doc.state, doc.state, `${peerName}: ${detail}`);
      else if (before !== DeliveryState.FAILED) recordEvent(tx, doc, RoutingEventKind.EXCHANGE_FAILED, doc.state, doc.state, `${peerName}: ${detail}`);
    });
  }
}

/**
 * POSTs `body` to `endpoint` over http(s) with the given `lookup` for the connection, and reads at most
 * `maxBytes` of the answer. Redirects are not followed (a 3xx is an answer like any other). An IP
 * literal host never reaches `lookup` (the socket connects to it directly), so it is checked here.
 */
async function postPinned(
  endpoint: string,
  headers: Record<string, string>,
  body: Buffer,
  opts: { lookup: LookupFunction; signal: AbortSignal; maxBytes: number },
): Promise<{ status: number; text: string }> {
  const url = new URL(endpoint);
  const literal = normaliseHost(url.hostname);
  if (isIP(literal)) {
    await new Promise<void>((resolve, reject) => opts.lookup(literal, {}, (err) => (err ? reject(err) : resolve())));
  }
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(body.length) }, lookup: opts.lookup, signal: opts.signal, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).subarray(0, opts.maxBytes).toString('utf8') });
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= opts.maxBytes) done();
        });
        res.on('end', done);
        res.on('error', done);
      },
    );
    req.on('error', (err) => reject(opts.signal.aborted && opts.signal.reason instanceof Error ? opts.signal.reason : err));
    req.end(body);
  });
}
