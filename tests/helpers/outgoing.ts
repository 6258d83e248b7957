import {
  ApproveDraftDocument,
  CreateDraftDocument,
  IssueDocumentDocument,
  SignDocumentDocument,
  SubmitDraftDocument,
  type DraftInput,
} from '../generated/graphql';
import { pdf, upload } from './documents';
import type { ApiClient, TestEnv } from './env';

export interface Desk {
  staff: ApiClient;
  head: ApiClient;
  director: ApiClient;
  clerk: ApiClient;
}

/** A draft by `staff` with a fresh draft file. */
export async function draft(env: TestEnv, staff: ApiClient, over: Partial<DraftInput> = {}) {
  const file = await upload(env, staff, pdf(), 'du-thao.pdf');
  return (
    await staff.ok(CreateDraftDocument, {
      input: { documentTypeCode: 'CV', subject: 'V/v góp ý dự thảo quy định phân cấp quản lý quy hoạch xây dựng', fileId: file.id, ...over },
    })
  ).createDraft;
}

/** Takes a draft through review and signature: SIGNED. */
export async function toSigned(desk: Desk, id: string) {
  await desk.staff.ok(SubmitDraftDocument, { id });
  await desk.head.ok(ApproveDraftDocument, { id });
  await desk.director.ok(SignDocumentDocument, { id });
}

/** The clerk uploads the signed scan and issues. */
export async function issue(env: TestEnv, clerk: ApiClient, id: string) {
  const scan = await upload(env, clerk, pdf(), 'ban-ky.pdf');
  return (await clerk.ok(IssueDocumentDocument, { id, input: { signedFileId: scan.id } })).issueDocument;
}
