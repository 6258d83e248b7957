import { parentPort } from 'node:worker_threads';
import { EdxmlProblem } from '../domain/exchange/edxml';
import { readSpoolHere, type Spool } from './edxml-intake';

/**
 * The worker thread that reads large spooled edXML messages (see `readSpool`): the scanning,
 * decoding and hashing, and the garbage they make, stay off the thread that answers requests.
 * One message per worker; refusals go back as their code and message.
 */
parentPort?.once('message', (spool: Spool) => {
  readSpoolHere(spool).then(
    (message) => parentPort!.postMessage({ message }),
    (e: unknown) =>
      parentPort!.postMessage(
        e instanceof EdxmlProblem ? { problem: { code: e.code, message: e.message } } : { failure: e instanceof Error ? e.message : String(e) },
      ),
  );
});
