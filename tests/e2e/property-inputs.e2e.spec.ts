import fc from 'fast-check';
import { print, type DocumentNode } from 'graphql';
import {
  AddPermissionRuleDocument,
  CreateAccountDocument,
  CreateCorrespondentDocument,
  CreateDraftDocument,
  CreateUnitDocument,
  DocumentsDocument,
  OpenDossierDocument,
  ReceiveDocumentDocument,
  RejectDocumentDocument,
  TransferAccountDocument,
  RetryExchangeMessageDocument,
  UpdatePeerDocument,
} from '../generated/graphql';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { snapshot } from '../helpers/snapshot';

let env: TestEnv;
let as: Record<'admin' | 'clerk' | 'staff', ApiClient>;
let correspondentId = '';
const TABLES = ['unit', 'account', 'account_event', 'document', 'routing_event', 'dossier', 'correspondent', 'permission_rule', 'register', 'exchange_message'];
const CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'LEGACY_ENCODING_REFUSED',
  'ALREADY_EXISTS',
  'INVALID_TRANSITION',
  'CLASSIFIED_DOCUMENT_REFUSED',
  'INTERCONNECTION_NOT_ALLOWED',
  'GRANT_REFUSED',
  'LOCKOUT_REFUSED',
  'GRAPHQL_VALIDATION_FAILED',
  'QUERY_TOO_COMPLEX',
  'LAST_SYSADMIN',
]);

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  as = { admin: await env.as(ADMIN_USERNAME), clerk: await env.as(DEMO.clerk), staff: await env.as(DEMO.staff) };
  correspondentId = (await as.clerk.ok(CreateCorrespondentDocument, { input: { name: 'Sở Giao thông vận tải tỉnh Gia Lai', organId: '000.00.00.H39' } }))
    .createCorrespondent.id;
});
afterAll(() => env?.close());

/** Strings people and attackers send: empty, long, control characters, legacy encodings, SQL, ids of the wrong kind. */
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', 'Céng hoµ x· héi', "'; drop table document; --", '\u0000', 'x'.repeat(20_000), 'Quyết định', '2026-13-45', '../../etc/passwd'),
);
const id = fc.oneof(
  text,
  fc.uuid().map((u) => Buffer.from(`Unit:${u}`).toString('base64url')),
  fc.uuid().map((u) => Buffer.from(`Account:${u}`).toString('base64url')),
  fc.uuid().map((u) => Buffer.from(`IncomingDocument:${u}`).toString('base64url')),
);
const num = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31 - 1, 1e9));
const list = <T>(a: fc.Arbitrary<T>) => fc.array(a, { maxLength: 4 });

const CASES: Array<[string, keyof typeof as, DocumentNode, fc.Arbitrary<Record<string, unknown>>]> = [
  [
    'createUnit',
    'admin',
    CreateUnitDocument,
    fc.record({
      input: fc.record({
        name: text,
        shortName: text,
        kind: fc.constantFrom('AGENCY', 'DEPARTMENT', 'SUBORDINATE', 'X'),
        parentId: fc.option(id),
        code: fc.option(text),
      }),
    }),
  ],
  [
    'createAccount',
    'admin',
    CreateAccountDocument,
    fc.record({ input: fc.record({ username: text, fullName: text, unitId: id, roles: list(fc.constantFrom('STAFF', 'HEAD', 'NOPE')) }) }),
  ],
  ['transferAccount', 'admin', TransferAccountDocument, fc.record({ id, unitId: id, reason: text })],
  [
    'receiveDocument',
    'clerk',
    ReceiveDocumentDocument,
    fc.record({
      input: fc.record({
        documentTypeCode: text,
        issuedDate: text,
        issuer: text,
        subject: text,
        number: fc.option(text),
        pageCount: fc.option(num),
        attachmentIds: list(id),
        confidentiality: fc.constantFrom('NORMAL', 'SECRET'),
      }),
    }),
  ],
  ['rejectDocument', 'clerk', RejectDocumentDocument, fc.record({ id, reason: text })],
  [
    'createDraft',
    'staff',
    CreateDraftDocument,
    fc.record({ input: fc.record({ documentTypeCode: text, subject: text, fileId: id, recipientUnitIds: fc.option(list(id)), pageCount: fc.option(num) }) }),
  ],
  ['openDossier', 'staff', OpenDossierDocument, fc.record({ input: fc.record({ notation: text, title: text, year: num, retention: text }) })],
  [
    'createCorrespondent',
    'clerk',
    CreateCorrespondentDocument,
    fc.record({ input: fc.record({ name: text, organId: fc.option(text), endpoint: fc.option(fc.oneof(text, fc.webUrl())), secret: fc.option(text) }) }),
  ],
  [
    'updateCorrespondent',
    'clerk',
    UpdatePeerDocument,
    fc.record({
      id: fc.oneof(
        id,
        fc.constant(null).map(() => correspondentId),
      ),
      input: fc.record({ name: fc.option(text), organId: fc.option(text), endpoint: fc.option(fc.oneof(text, fc.webUrl())), secret: fc.option(text) }),
    }),
  ],
  [
    'retryExchangeMessage',
    'clerk',
    RetryExchangeMessageDocument,
    fc.record({
      id: fc.oneof(
        id,
        fc.nat().map((n) => Buffer.from(`ExchangeMessage:${n}`).toString('base64url')),
      ),
    }),
  ],
  [
    'addPermissionRule',
    'admin',
    AddPermissionRuleDocument,
    fc.record({
      input: fc.record({
        role: fc.option(fc.constantFrom('STAFF', 'SYSADMIN')),
        accountId: fc.option(id),
        action: text,
        subject: text,
        condition: fc.constantFrom('ANY', 'OWN_UNIT', 'BAD'),
        reason: text,
      }),
    }),
  ],
  [
    'documents filter',
    'staff',
    DocumentsDocument,
    fc.record({
      filter: fc.record({ text: fc.option(text), receivedFrom: fc.option(text), senderId: fc.option(id), registerYear: fc.option(num) }),
      first: fc.option(num),
      after: fc.option(text),
    }),
  ],
];

describe('random inputs into every kind of mutation and filter (fast-check, fixed seed)', () => {
  it.each(CASES)(
    '%s: never INTERNAL_SERVER_ERROR, every refusal coded, nothing changed by a refusal',
    async (_name, role, doc, args) => {
      const query = print(doc);
      await fc.assert(
        fc.asyncProperty(args, async (variables) => {
          const before = await snapshot(env, TABLES);
          const res = await fetch(env.server.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${as[role].token}` },
            body: JSON.stringify({ query, variables }),
          });
          const body = (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
          if (!body.errors) return;
          for (const e of body.errors) {
            expect(e.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
            expect(CODES.has(String(e.extensions?.code))).toBe(true);
          }
          expect(await snapshot(env, TABLES)).toEqual(before);
        }),
        { numRuns: 200, seed: 20261126 },
      );
    },
    180_000,
  );
});
