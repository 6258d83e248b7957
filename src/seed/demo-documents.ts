import type { MikroORM } from '@mikro-orm/postgresql';
import { Account, Assignment, Correspondent, Document, Unit } from '../../entities';
import type { AppServices, Context } from '../context';
import { buildContext } from '../context-factory';
import { Urgency } from '../domain/documents/document-enums';
import { officeDate } from '../domain/time/office-time';
import { toGlobalId } from '../graphql/global-id';
import { login, logout } from '../services/auth.service';
import { fileDocument, openDossier } from '../services/dossier.service';
import { storeUpload } from '../services/file.service';
import { calendarAt } from '../services/working-calendar';
import { completeAssignment, delegateAssignment, recordProgress, returnAssignment, startAssignment } from '../services/assignment-work';
import { assignDocument, receiveDocument, submitDocuments, type AssignInput } from '../services/incoming.service';
import { approveDraft, createDraft, issueDocument, signDocument, submitDraft } from '../services/outgoing.service';
import { DEMO_PASSWORD } from './bootstrap';
import subjects from './data/subjects.json';

const DOMAIN = 'sxd.binhdinh.gov.vn';
const DAY = 24 * 60 * 60 * 1000;

/** Who does what in the demo, by the role they play (the accounts of {@link loadDemoData}). */
const PEOPLE = {
  director: `giamdoc@${DOMAIN}`,
  clerk: `vanthu@${DOMAIN}`,
  officeHead: `chanhvanphong@${DOMAIN}`,
  head: `truongphong.qlhdxd@${DOMAIN}`,
  staff: `chuyenvien.qlhdxd@${DOMAIN}`,
  centreDirector: `giamdoc.ttqhkd@${DOMAIN}`,
  centreClerk: `vanthu.ttqhkd@${DOMAIN}`,
  centreHead: `truongphong.ttqhkd@${DOMAIN}`,
  centreStaff: `chuyenvien.ttqhkd@${DOMAIN}`,
} as const;
type Person = keyof typeof PEOPLE;

/** A small but real PDF: the file store takes a file's kind from its bytes. */
function pdf(title: string): Buffer {
  const ascii = title
    .normalize('NFD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/[()\\]/g, ' ');
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog /Title (${ascii}) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

/**
 * Documents in every state for the demo organisation, built through the same services as the API (so
 * numbers, registers, assignments and routing events are consistent), dated relative to now: some
 * assignments are overdue, some due within two working days, some done and filed in a dossier. Each
 * demo account with a document role finds work in its inbox (the SYSADMIN reads no document).
 *
 * Loaded once, only where no document exists yet; returns how many documents it created (0 otherwise).
 * Needs the demo accounts ({@link loadDemoData}) and the running server's services.
 */
export async function loadDemoDocuments(app: AppServices, orm: MikroORM): Promise<number> {
  if ((await orm.em.fork().count(Document, {})) > 0) return 0;
  const em = orm.em.fork();
  const accounts = await em.find(Account, { username: { $in: Object.values(PEOPLE) } }, { populate: ['unit'] });
  if (accounts.length !== Object.keys(PEOPLE).length) throw new Error('The demo accounts are missing: load the demo organisation first.');
  const byName = new Map(accounts.map((a) => [a.username, a]));
  const account = (p: Person) => byName.get(PEOPLE[p])!;
  const gid = {
    account: (p: Person) => toGlobalId('Account', account(p).id),
    unitOf: (p: Person) => toGlobalId('Unit', account(p).unit.id),
  };
  const centre = await em.findOneOrFail(Unit, { id: account('centreClerk').unit.id });
  const correspondents = await em.find(Correspondent, {}, { orderBy: { name: 'asc' } });

  const address = '127.0.0.1';
  const now = app.clock.now();
  // Each person signs in once, as at the office; the steps below act with that session at the time they happened.
  const tokens = new Map<Person, string>();
  for (const p of Object.keys(PEOPLE) as Person[]) {
    const ctx = await buildContext(app, orm, null, address, `demo-login-${p}`);
    tokens.set(p, (await login(ctx, PEOPLE[p], DEMO_PASSWORD)).token);
  }
  let request = 0;
  /** `who` acting `daysAgo` days before now. */
  const as = (who: Person, daysAgo = 0): Promise<Context> => {
    const at = new Date(now.getTime() - daysAgo * DAY);
    return buildContext({ ...app, clock: { now: () => new Date(at) } }, orm, tokens.get(who)!, address, `demo-${++request}`, { recordUse: false });
  };
  const day = (daysAgo: number) => officeDate(new Date(now.getTime() - daysAgo * DAY), app.config.officeTimeZone);
  const today = day(0);
  // Deadlines count working days of the recorded calendar, as the inbox views do.
  const calendar = await calendarAt(app, orm.em.fork());
  const addWorkingDays = (date: string, n: number) => calendar.addWorkingDays(date, n);

  let created = 0;
  const used = new Set<number>();
  /** The next subject not used yet (of a type when asked), from real letters of a Sở Xây dựng. */
  const subject = (type?: string) => {
    let i = subjects.findIndex((s, j) => !used.has(j) && (!type || s.type === type));
    if (i < 0) i = subjects.findIndex((s) => !type || s.type === type);
    used.add(i);
    return subjects[i];
  };

  /** A document from a correspondent, received by `clerk` `daysAgo` days ago; registered when asked. */
  const receive = async (clerk: Person, daysAgo: number, opts: { register?: boolean; urgency?: Urgency; type?: string } = {}) => {
    const c = await as(clerk, daysAgo);
    const s = subject(opts.type);
    const from = correspondents[created % correspondents.length];
    const file = await storeUpload(c, pdf(s.subject), `${s.type}-${created + 1}.pdf`);
    const n = 100 + created * 7;
    const doc = await receiveDocument(c, {
      documentTypeCode: s.type,
      number: String(n),
      symbol: s.type === 'CV' ? `${from.shortName}-VP` : `${s.type}-${from.shortName}`,
      issuedDate: day(daysAgo + 2),
      issuer: from.name,
      senderId: toGlobalId('Correspondent', from.id),
      subject: s.subject,
      pageCount: 1 + (created % 4),
      urgency: opts.urgency ?? Urgency.NORMAL,
      attachmentIds: [toGlobalId('StoredFile', file.id)],
      registerNow: opts.register ?? false,
    });
    created++;
    return toGlobalId('IncomingDocument', doc.id);
  };
  const submit = async (clerk: Person, daysAgo: number, id: string) => submitDocuments(await as(clerk, daysAgo), [id]);
  const assign = async (director: Person, daysAgo: number, id: string, input: AssignInput) => assignDocument(await as(director, daysAgo), id, input);
  /** The id of the active assignment of a document held by an account or a unit. */
  const assignmentOf = async (docId: string, holder: { accountId?: string; unitId?: string }) => {
    const key = Buffer.from(docId, 'base64url').toString('utf8').split(':')[1];
    const unitKey = holder.unitId && Buffer.from(holder.unitId, 'base64url').toString('utf8').split(':')[1];
    const accountKey = holder.accountId && Buffer.from(holder.accountId, 'base64url').toString('utf8').split(':')[1];
    const a = await orm.em
      .fork()
      .findOneOrFail(
        Assignment,
        { document: key, active: true, ...(unitKey ? { assigneeUnit: unitKey } : { assignee: accountKey }) },
        { orderBy: { createdAt: 'desc' } },
      );
    return toGlobalId('Assignment', a.id);
  };
  /** Received, registered and submitted `daysAgo` days ago by `clerk`. */
  const toDirector = async (clerk: Person, daysAgo: number, opts: { urgency?: Urgency; type?: string } = {}) => {
    const id = await receive(clerk, daysAgo, { ...opts, register: true });
    await submit(clerk, daysAgo, id);
    return id;
  };

  // ——— Incoming, Sở Xây dựng ———
  // The clerk's queues: to register, to submit (one urgent).
  await receive('clerk', 0);
  await receive('clerk', 0, { type: 'GM' });
  await receive('clerk', 0, { register: true, urgency: Urgency.URGENT });
  // The director's: awaiting direction.
  await toDirector('clerk', 1);
  await toDirector('clerk', 0, { type: 'BC' });
  // Assigned to the department, not yet passed on: the head's to-process queue.
  {
    const id = await toDirector('clerk', 2);
    await assign('director', 1, id, {
      instruction: 'Giao Phòng QLHĐXD chủ trì tham mưu, báo cáo Giám đốc.',
      lead: { unitId: gid.unitOf('head'), deadline: addWorkingDays(today, 7) },
    });
  }
  // Passed on to the staff member, due within two working days, in progress.
  {
    const id = await toDirector('clerk', 4);
    await assign('director', 3, id, {
      instruction: 'Giao Phòng QLHĐXD xử lý, dự thảo văn bản trả lời.',
      lead: { unitId: gid.unitOf('head'), deadline: addWorkingDays(today, 2) },
    });
    const dept = await assignmentOf(id, { unitId: gid.unitOf('head') });
    await delegateAssignment(await as('head', 3), dept, {
      accountId: gid.account('staff'),
      deadline: addWorkingDays(today, 1),
      instruction: 'Đề nghị chị Hoa dự thảo văn bản trả lời.',
    });
    await recordProgress(
      await as('staff', 1),
      await assignmentOf(id, { accountId: gid.account('staff') }),
      'Đã làm việc với chủ đầu tư, đang hoàn thiện dự thảo.',
    );
  }
  // Assigned to the staff member directly with the head informed, now overdue.
  {
    const id = await toDirector('clerk', 13);
    await assign('director', 12, id, {
      instruction: 'Giao chị Hoa kiểm tra, báo cáo kết quả.',
      lead: { accountId: gid.account('staff'), deadline: addWorkingDays(day(12), 5) },
      informed: [{ accountId: gid.account('head') }],
    });
    await startAssignment(await as('staff', 11), await assignmentOf(id, { accountId: gid.account('staff') }));
  }
  // Handed back by the staff member: in the director's "returned" queue.
  {
    const id = await toDirector('clerk', 3);
    await assign('director', 2, id, {
      instruction: 'Giao chị Hoa nghiên cứu, tham mưu.',
      lead: { accountId: gid.account('staff'), deadline: addWorkingDays(today, 5) },
    });
    await returnAssignment(
      await as('staff', 1),
      await assignmentOf(id, { accountId: gid.account('staff') }),
      'Nội dung thuộc lĩnh vực quy hoạch, đề nghị giao Phòng Quy hoạch - Kiến trúc.',
    );
  }
  // Completed weeks ago, then filed in the department's dossier with its reply.
  const done = await toDirector('clerk', 24, { type: 'CV' });
  await assign('director', 23, done, {
    instruction: 'Giao Phòng QLHĐXD chủ trì giải quyết.',
    lead: { unitId: gid.unitOf('head'), deadline: addWorkingDays(day(23), 10) },
  });
  await delegateAssignment(await as('head', 22), await assignmentOf(done, { unitId: gid.unitOf('head') }), {
    accountId: gid.account('staff'),
    deadline: addWorkingDays(day(23), 10),
  });

  // ——— Outgoing, Sở Xây dựng: one draft at every step ———
  const draft = async (who: Person, daysAgo: number, recipients: string[] = [], type = 'CV') => {
    const c = await as(who, daysAgo);
    const s = subject(type);
    const file = await storeUpload(c, pdf(s.subject), `du-thao-${created + 1}.pdf`);
    const doc = await createDraft(c, { documentTypeCode: s.type, subject: s.subject, recipientUnitIds: recipients, fileId: toGlobalId('StoredFile', file.id) });
    created++;
    return toGlobalId('OutgoingDocument', doc.id);
  };
  const toSigned = async (id: string, daysAgo: number) => {
    await submitDraft(await as('staff', daysAgo), id);
    await approveDraft(await as('head', daysAgo), id, 'Đồng ý, trình Giám đốc ký.');
    await signDocument(await as('director', daysAgo), id);
  };
  const issue = async (id: string) => {
    const c = await as('clerk', 0);
    const scan = await storeUpload(c, pdf(`ban ky ${id}`), 'ban-ky.pdf');
    return issueDocument(c, id, { signedFileId: toGlobalId('StoredFile', scan.id) });
  };
  const centreId = toGlobalId('Unit', centre.id);
  await draft('staff', 0); // DRAFT: the staff member's drafts
  {
    const id = await draft('staff', 1);
    await submitDraft(await as('staff', 1), id); // IN_REVIEW: the head's
  }
  {
    const id = await draft('staff', 2);
    await submitDraft(await as('staff', 1), id);
    await approveDraft(await as('head', 1), id, 'Đồng ý, trình Giám đốc ký.'); // AWAITING_SIGNATURE: the director's
  }
  {
    const id = await draft('staff', 2, [centreId]);
    await toSigned(id, 1); // SIGNED: the clerk's to-issue queue
  }
  // Issued to the centre today: in the centre clerk's queue to register.
  {
    const id = await draft('staff', 3, [centreId], 'KH');
    await toSigned(id, 1);
    await issue(id);
  }
  // An invitation to the agency's own departments (Office and QLHĐXD), issued: in their people's FOR_INFORMATION view.
  {
    const id = await draft('staff', 2, [gid.unitOf('officeHead'), gid.unitOf('head')], 'GM');
    await toSigned(id, 1);
    await issue(id);
  }
  // Routed by the director to the centre, which received its own copy to number (Điều 7.1).
  {
    const id = await toDirector('clerk', 1);
    const instruction = 'Giao Trung tâm Quy hoạch - Kiểm định xây dựng thực hiện, báo cáo kết quả.';
    await assign('director', 0, id, { instruction, lead: { unitId: centreId, deadline: addWorkingDays(today, 10) } });
  }
  // The reply to the completed document, issued; both filed in a dossier.
  const reply = await draft('staff', 21, [centreId]);
  await toSigned(reply, 20);
  await issue(reply);
  await completeAssignment(await as('staff', 0), await assignmentOf(done, { accountId: gid.account('staff') }), {
    result: 'Đã ban hành văn bản trả lời.',
    replyDocumentId: reply,
  });
  {
    const c = await as('staff', 0);
    const year = Number(today.slice(0, 4));
    const dossier = await openDossier(c, {
      notation: `01.QLHDXD`,
      title: 'Hồ sơ giải quyết kiến nghị về quản lý hoạt động xây dựng',
      year,
      retention: '10',
      startDate: day(24).slice(0, 4) === String(year) ? day(24) : `${year}-01-01`,
    });
    const dossierId = toGlobalId('Dossier', dossier.id);
    await fileDocument(await as('staff', 0), dossierId, done);
    await fileDocument(await as('staff', 0), dossierId, reply);
  }

  // ——— Trung tâm Quy hoạch - Kiểm định xây dựng ———
  await receive('centreClerk', 0);
  await toDirector('centreClerk', 1); // the centre director's
  {
    const id = await toDirector('centreClerk', 2);
    await assign('centreDirector', 1, id, {
      instruction: 'Giao Phòng Kiểm định chất lượng thực hiện.',
      lead: { unitId: gid.unitOf('centreHead'), deadline: addWorkingDays(today, 6) },
    });
  }
  {
    const id = await toDirector('centreClerk', 15);
    await assign('centreDirector', 14, id, {
      instruction: 'Giao Phòng Kiểm định chất lượng kiểm định, báo cáo kết quả.',
      lead: { unitId: gid.unitOf('centreHead'), deadline: addWorkingDays(day(14), 6) },
    });
    await delegateAssignment(await as('centreHead', 13), await assignmentOf(id, { unitId: gid.unitOf('centreHead') }), {
      accountId: gid.account('centreStaff'),
      deadline: addWorkingDays(day(14), 6),
    }); // overdue
  }
  await draft('centreStaff', 0);

  // The demo sessions end here; the people sign in again with the demo password.
  for (const p of tokens.keys()) await logout(await as(p));
  return created;
}
