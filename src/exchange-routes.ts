import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AppServices } from './context';
import { ErrorCode } from './errors';
import { toGlobalId } from './graphql/global-id';
import { ExchangeRefusal, acceptFromPeer, exportEdxml, importEdxml, isKnownPeer } from './services/exchange.service';
import { EXCHANGE_HEADERS } from './domain/exchange/delivery';
import { attachment, sendError, signedInContext } from './rest';

/**
 * The document exchange over HTTP:
 * - `POST /exchange/messages`: edXML packages and status messages from peers (signed with the shared secret);
 * - `GET /exchange/documents/:id/edxml`: a clerk downloads an issued document as an .edxml file;
 * - `POST /exchange/import`: a clerk uploads an .edxml file received by other means.
 */
export function exchangeRouter(app: AppServices, orm: MikroORM): Router {
  const router = express.Router();
  // Compressed bodies are not inflated: a small request must not become a large one in memory.
  const raw = express.raw({ type: () => true, limit: app.config.exchange.maxMessageBytes, inflate: false });
  // Messages are read whole into memory; only so many at once per process, the rest are asked to come back.
  let inFlight = 0;
  const bounded = (req: Request, res: Response, next: NextFunction) => {
    if (inFlight >= MAX_MESSAGES_IN_FLIGHT) {
      res.setHeader('Retry-After', '5');
      res.setHeader('Connection', 'close');
      res.status(429).json({ code: 'TOO_MANY_REQUESTS', message: 'Too many exchange messages are being read at once. Send it again in a few seconds.' });
      return;
    }
    inFlight++;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        inFlight--;
      }
    };
    res.on('finish', release);
    res.on('close', release);
    next();
  };

  // Who is sending is known from the headers: an unknown sender is refused before its body is read.
  const knownSender = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const from = req.get(EXCHANGE_HEADERS.from) ?? '';
      if (!(await isKnownPeer(orm.em.fork(), from))) {
        res.setHeader('Connection', 'close');
        throw new ExchangeRefusal(401, ErrorCode.UNKNOWN_PEER, `No peer with the identifier "${from.slice(0, 20)}" is configured here: ask this agency's clerk to add you as a correspondent with an exchange secret.`);
      }
      next();
    } catch (err) {
      sendError(res, err, app.log);
    }
  };

  router.post('/messages', knownSender, bounded, raw, async (req: Request, res: Response) => {
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const result = await acceptFromPeer(app, orm, req.headers, body);
      app.log.info({ requestId: res.locals.requestId, documentId: result.documentId, status: result.status }, 'exchange message taken');
      res.json({ status: result.status, documentId: result.documentId });
    } catch (err) {
      if (err instanceof ExchangeRefusal) app.log.warn({ requestId: res.locals.requestId, code: err.code, reason: err.message }, 'exchange message refused');
      sendError(res, err, app.log);
    }
  });

  const signedIn = (req: Request, res: Response) => signedInContext(app, orm, req, res);

  router.get('/documents/:id/edxml', async (req: Request, res: Response) => {
    try {
      const ctx = await signedIn(req, res);
      const { fileName, xml } = await exportEdxml(ctx, String(req.params.id), typeof req.query.to === 'string' ? req.query.to : null);
      res.setHeader('Content-Type', 'application/xml; charset=utf-8');
      res.setHeader('Content-Disposition', attachment(fileName));
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(xml);
    } catch (err) {
      sendError(res, err, app.log);
    }
  });

  // The clerk is known before the body is read.
  const clerkFirst = async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.locals.ctx = await signedIn(req, res);
      next();
    } catch (err) {
      res.setHeader('Connection', 'close');
      sendError(res, err, app.log);
    }
  };

  router.post('/import', clerkFirst, bounded, raw, async (req: Request, res: Response) => {
    try {
      const ctx = res.locals.ctx as Awaited<ReturnType<typeof signedIn>>;
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const result = await importEdxml(ctx, body);
      res.status(result.status === 'ACCEPTED' ? 201 : 200).json({ status: result.status, documentId: result.documentId, id: result.incomingId ? toIncomingId(result.incomingId) : null });
    } catch (err) {
      sendError(res, err, app.log);
    }
  });
  return router;
}

const toIncomingId = (key: string) => toGlobalId('IncomingDocument', key);

/** Exchange messages read at once by one process. */
const MAX_MESSAGES_IN_FLIGHT = 4;
