import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import multer from 'multer';
import { FileSignatureCheck } from '../entities';
import type { AppServices, Context } from './context';
import { AppError, ErrorCode } from './errors';
import { parseGlobalId, toGlobalId } from './graphql/global-id';
import { openForDownload, storeUpload } from './services/file.service';
import { usageCsv, usageReport } from './services/oversight.service';
import { attachment, sendError, signedInContext } from './rest';

/** `GET /reports/usage.csv?year=YYYY[&unitId=…]`: the yearly usage report for the annual assessment. */
export function reportsRouter(app: AppServices, orm: MikroORM): Router {
  const router = express.Router();
  router.get('/usage.csv', async (req: Request, res: Response) => {
    try {
      const ctx = await signedInContext(app, orm, req, res);
      const year = typeof req.query.year === 'string' ? req.query.year : '';
      if (!/^\d{4}$/.test(year)) throw new AppError(ErrorCode.BAD_USER_INPUT, 'Give the year as ?year=YYYY.');
      const unitId = typeof req.query.unitId === 'string' ? req.query.unitId : null;
      const csv = usageCsv(await usageReport(ctx, Number(year), unitId));
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="bao-cao-su-dung-${year}.csv"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(csv);
    } catch (err) {
      sendError(res, err, app.log);
    }
  });
  return router;
}

/** `POST /files` (multipart, one part named `file`) and `GET /files/:id`, both with bearer auth. */
export function filesRouter(app: AppServices, orm: MikroORM): Router {
  const router = express.Router();
  // Uploads in flight, per account and in all: a burst cannot hold the process's memory hostage.
  const inFlight = new Map<string, number>();
  let total = 0;
  const MAX_PER_ACCOUNT = 4;
  const MAX_TOTAL = 32;
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: app.config.maxUploadBytes, files: 1, fields: 5, parts: 6 } });

  const context = (req: Request, res: Response) => signedInContext(app, orm, req, res);

  router.post(
    '/',
    async (req: Request, res: Response, next: NextFunction) => {
      // Authenticate before reading the body: nobody without a session may make the server buffer 50 MB.
      try {
        res.locals.ctx = await context(req, res);
        const account = res.locals.ctx.viewer.accountId as string;
        const mine = inFlight.get(account) ?? 0;
        if (mine >= MAX_PER_ACCOUNT || total >= MAX_TOTAL) {
          res.setHeader('Retry-After', '2');
          res.status(429).json({ code: 'TOO_MANY_UPLOADS', message: 'Too many uploads at once. Wait for one to finish and try again.' });
          return;
        }
        inFlight.set(account, mine + 1);
        total++;
        res.on('close', () => {
          total--;
          const n = (inFlight.get(account) ?? 1) - 1;
          if (n <= 0) inFlight.delete(account);
          else inFlight.set(account, n);
        });
        next();
      } catch (err) {
        sendError(res, err, app.log);
      }
    },
    (req: Request, res: Response, next: NextFunction) => {
      upload.single('file')(req, res, (err: unknown) => {
        if (!err) return next();
        if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') return sendError(res, new AppError(ErrorCode.FILE_TOO_LARGE), app.log);
        return sendError(res, new AppError(ErrorCode.BAD_USER_INPUT, 'Send the file as multipart/form-data in one part named "file".'), app.log);
      });
    },
    async (req: Request, res: Response) => {
      try {
        if (!req.file) throw new AppError(ErrorCode.BAD_USER_INPUT, 'Send the file as multipart/form-data in one part named "file".');
        // Browsers send the name as raw UTF-8 bytes that busboy reads as Latin-1.
        const name = Buffer.from(req.file.originalname, 'latin1').toString('utf8');
        const file = await storeUpload(res.locals.ctx, req.file.buffer, name);
        // What the check of a PDF's digital signatures found, for the uploader to see before using the file.
        const check = await (res.locals.ctx as Context).em.findOne(FileSignatureCheck, { file: file.id });
        const signatureVerification = check ? { verdict: check.verdict, problem: check.problem ?? null, signatures: check.signatures } : null;
        const id = toGlobalId('StoredFile', file.id);
        res.status(201).json({ id, name: file.name, mimeType: file.mimeType, size: Number(file.size), sha256: file.sha256, signatureVerification });
      } catch (err) {
        sendError(res, err, app.log);
      }
    },
  );

  router.get('/:id', async (req: Request, res: Response) => {
    try {
      const ctx = await context(req, res);
      const parsed = parseGlobalId(String(req.params.id));
      if (!parsed || parsed.type !== 'StoredFile') throw new AppError(ErrorCode.NOT_FOUND, 'No file was found with this id, or you may not see it.');
      const { file, stream } = await openForDownload(ctx, parsed.key);
      res.setHeader('Content-Type', file.mimeType);
      res.setHeader('Content-Length', String(file.size));
      res.setHeader('Content-Disposition', attachment(file.name));
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('ETag', `"${file.sha256}"`);
      const s = stream();
      s.on('error', (err) => sendError(res, err, app.log));
      s.pipe(res);
    } catch (err) {
      sendError(res, err, app.log);
    }
  });
  return router;
}
