import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AppServices } from '../context';
import { ErrorCode } from '../errors';
import { toGlobalId } from '../graphql/global-id';
import { exportEdxml } from './exchange.service';
import { acceptFromPeer, importEdxml, openPeerMessage, type PeerMessage } from './receive';
import { ExchangeRefusal } from './refusal';
import { SpoolRefusal, discardSpool, newSpoolDir, spoolBody, type Spool } from './edxml-intake';
import { attachment, sendError, signedInContext } from '../rest';

/**
 * The document exchange over HTTP:
 * - `POST /exchange/messages`: edXML packages and status messages from peers (signed with the shared secret);
 * - `GET /exchange/documents/:id/edxml`: a clerk downloads an issued document as an .edxml file;
 * - `POST /exchange/import`: a clerk uploads an .edxml file received by other means.
 */
export function exchangeRouter(app: AppServices, orm: MikroORM): Router {
  const router = express.Router();
  const maxBytes = app.config.exchange.maxMessageBytes;
  /**
   * The body goes to a file of its own (never into memory whole) and is read back in pieces; the
   * folder is removed once the message was taken or refused. `mac` sees every byte on the way.
   */
  const withSpool = async <T>(req: Request, res: Response, mac: PeerMessage['mac'] | undefined, take: (spool: Spool) => Promise<T>): Promise<T> => {
    const dir = await newSpoolDir(app.config.uploadDir);
    try {
      let spool: Spool;
      try {
        spool = await spoolBody(req, dir, maxBytes, mac);
      } catch (e) {
        if (!(e instanceof SpoolRefusal)) throw e;
        res.setHeader('Connection', 'close');
        const code = e.httpStatus === 413 ? ErrorCode.FILE_TOO_LARGE : e.httpStatus === 415 ? ErrorCode.UNSUPPORTED_FILE_TYPE : ErrorCode.MALFORMED_PACKAGE;
        throw new ExchangeRefusal(e.httpStatus, code, e.message);
      }
      return await take(spool);
    } finally {
      // Not awaited: the answer (a peer waits for it to mark its message delivered) does not wait for the clean-up.
      void discardSpool(dir);
    }
  };
  // Only so many messages are read at once per process (each holds a few pieces in memory and its
  // size on disk); the rest are asked to come back.
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

  // Who is sending, and whether the message is signed within the window, is known from the headers:
  // a message that fails there is refused before its body is read.
  const knownSender = async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.locals.peerMessage = await openPeerMessage(app, orm, req.headers);
      next();
    } catch (err) {
      res.setHeader('Connection', 'close');
      sendError(res, err, app.log);
    }
  };

  router.post('/messages', knownSender, bounded, async (req: Request, res: Response) => {
    try {
      const m = res.locals.peerMessage as PeerMessage;
      const result = await withSpool(req, res, m.mac, (spool) => acceptFromPeer(app, m, spool));
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

  router.post('/import', clerkFirst, bounded, async (req: Request, res: Response) => {
    try {
      const ctx = res.locals.ctx as Awaited<ReturnType<typeof signedIn>>;
      const result = await withSpool(req, res, undefined, (spool) => importEdxml(ctx, spool));
      res
        .status(result.status === 'ACCEPTED' ? 201 : 200)
        .json({ status: result.status, documentId: result.documentId, id: result.incomingId ? toIncomingId(result.incomingId) : null });
    } catch (err) {
      sendError(res, err, app.log);
    }
  });
  return router;
}

const toIncomingId = (key: string) => toGlobalId('IncomingDocument', key);

/** Exchange messages read at once by one process. */
const MAX_MESSAGES_IN_FLIGHT = 4;
