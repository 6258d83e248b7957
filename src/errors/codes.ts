/** Every refusal the API can give, as a stable code in `extensions.code`. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  PASSWORD_CHANGE_REQUIRED = 'PASSWORD_CHANGE_REQUIRED',
  TOO_MANY_ATTEMPTS = 'TOO_MANY_ATTEMPTS',
  LEGACY_ENCODING_REFUSED = 'LEGACY_ENCODING_REFUSED',
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  LAST_SYSADMIN = 'LAST_SYSADMIN',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  CLASSIFIED_DOCUMENT_REFUSED = 'CLASSIFIED_DOCUMENT_REFUSED',
  FILE_TOO_LARGE = 'FILE_TOO_LARGE',
  UNSUPPORTED_FILE_TYPE = 'UNSUPPORTED_FILE_TYPE',
  NOT_SIGNED = 'NOT_SIGNED',
  SIGNATURE_INVALID = 'SIGNATURE_INVALID',
  SIGNING_CAPACITY_NOT_HELD = 'SIGNING_CAPACITY_NOT_HELD',
  NUMBER_ALREADY_TAKEN = 'NUMBER_ALREADY_TAKEN',
  INTERCONNECTION_NOT_ALLOWED = 'INTERCONNECTION_NOT_ALLOWED',
  DOSSIER_CLOSED = 'DOSSIER_CLOSED',
  OPEN_ASSIGNMENTS = 'OPEN_ASSIGNMENTS',
  DOCUMENT_ANNULLED = 'DOCUMENT_ANNULLED',
  DOCUMENT_TYPE_RETIRED = 'DOCUMENT_TYPE_RETIRED',
  GRANT_REFUSED = 'GRANT_REFUSED',
  LOCKOUT_REFUSED = 'LOCKOUT_REFUSED',
  MALFORMED_PACKAGE = 'MALFORMED_PACKAGE',
  ATTACHMENT_HASH_MISMATCH = 'ATTACHMENT_HASH_MISMATCH',
  UNKNOWN_PEER = 'UNKNOWN_PEER',
  WRONG_RECIPIENT = 'WRONG_RECIPIENT',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** The default message of each code, for when the thrower has nothing more precise to say. */
export function defaultMessage(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.UNAUTHENTICATED:
      return 'You are not signed in, or your session has ended. Sign in again.';
    case ErrorCode.FORBIDDEN:
      return 'Your account is not allowed to do this. Ask your administrator if you need it.';
    case ErrorCode.NOT_FOUND:
      return 'Nothing was found with this id, or you may not see it.';
    case ErrorCode.BAD_USER_INPUT:
      return 'Some of the input is not valid. Correct it and try again.';
    case ErrorCode.PASSWORD_CHANGE_REQUIRED:
      return 'You must change your initial password before doing anything else (changePassword).';
    case ErrorCode.TOO_MANY_ATTEMPTS:
      return 'Too many failed sign-in attempts. Wait a few minutes and try again.';
    case ErrorCode.LEGACY_ENCODING_REFUSED:
      return 'The text looks like TCVN3 (ABC) or VNI encoding. Convert it to Unicode (TCVN 6909:2001) and try again.';
    case ErrorCode.ALREADY_EXISTS:
      return 'Something with the same identifying value already exists.';
    case ErrorCode.LAST_SYSADMIN:
      return 'This would leave the system without an active administrator. Appoint another SYSADMIN first.';
    case ErrorCode.INVALID_TRANSITION:
      return 'This step is not allowed from the current state.';
    case ErrorCode.CLASSIFIED_DOCUMENT_REFUSED:
      return 'Documents with state-secret content (Mật, Tối mật, Tuyệt mật) may not enter the system (Điều 3.2). Handle it on paper under the rules for secret documents.';
    case ErrorCode.FILE_TOO_LARGE:
      return 'The file is larger than the limit. Split it or reduce its resolution and try again.';
    case ErrorCode.UNSUPPORTED_FILE_TYPE:
      return 'This kind of file is not accepted. Send PDF, PNG, JPEG, TIFF, DOC/DOCX, XLS/XLSX or ODT.';
    case ErrorCode.NOT_SIGNED:
      return 'Only a document signed on the system can be issued (Điều 9.2).';
    case ErrorCode.SIGNATURE_INVALID:
      return 'The file carries a digital signature that does not verify (changed after signing, untrusted or expired certificate, or unreadable).';
    case ErrorCode.SIGNING_CAPACITY_NOT_HELD:
      return 'You do not hold this signing capacity: it follows from your position and the delegation in force (NĐ 30/2020, Điều 13).';
    case ErrorCode.NUMBER_ALREADY_TAKEN:
      return 'This document already has its number: a number once taken is kept; issue the document, or annul it with a reason.';
    case ErrorCode.INTERCONNECTION_NOT_ALLOWED:
      return 'A subordinate unit exchanges documents only with its agency, and the agency only with its subordinate units (Điều 9.2).';
    case ErrorCode.DOSSIER_CLOSED:
      return 'The dossier is closed and takes no changes until it is reopened.';
    case ErrorCode.OPEN_ASSIGNMENTS:
      return 'The account still holds open assignments: name handOverTo, an active account of the same unit, to hand them over in the same operation.';
    case ErrorCode.DOCUMENT_ANNULLED:
      return 'This registration was annulled: its number stays in the register, and nothing more is done with it.';
    case ErrorCode.DOCUMENT_TYPE_RETIRED:
      return 'This document type is retired: it stays on older documents but is not used for new drafts. Choose another type.';
    case ErrorCode.GRANT_REFUSED:
      return 'A SYSADMIN manages accounts and rights and reads no document: it may not be given a document role, a delegation or document content, and nobody changes their own roles or rights.';
    case ErrorCode.LOCKOUT_REFUSED:
      return 'This change would leave no administrator able to manage accounts.';
    case ErrorCode.MALFORMED_PACKAGE:
      return 'The edXML message is malformed. Check it against TT 10/2016/TT-BTTTT and send it again.';
    case ErrorCode.ATTACHMENT_HASH_MISMATCH:
      return 'An attachment does not match its SHA-256: the package was damaged or altered. Ask the sender to send it again.';
    case ErrorCode.UNKNOWN_PEER:
      return 'The sender is not a known peer of this agency, or its signature does not match.';
    case ErrorCode.WRONG_RECIPIENT:
      return 'The package is not addressed to this agency.';
    case ErrorCode.SERVICE_UNAVAILABLE:
      return 'The database connection was lost. A change may or may not have been saved: retry in a moment with the same idempotencyKey, or check before retrying.';
    case ErrorCode.INTERNAL_SERVER_ERROR:
      return 'Something went wrong on the server. Try again; if it persists, give the request id to your administrator.';
    default:
      return assertUnreachable(code);
  }
}

export function assertUnreachable(x: never): never {
  throw new Error(`Unhandled value: ${String(x)}`);
}
