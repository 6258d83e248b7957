import { AppError, ErrorCode } from '../errors';
import { looksLikeLegacyVietnamese } from '../domain/text/legacy-encoding';
import { invisibleCharacter } from '../domain/text/normalise';

/** A refusal of a message, with the HTTP status it answers with. */
export class ExchangeRefusal extends AppError {
  constructor(
    readonly httpStatus: number,
    code: ErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

export const refuse = (status: number, code: ErrorCode, message: string) => new ExchangeRefusal(status, code, message);

/** A text of a peer's message, refused when it is in a legacy encoding or hides invisible characters. */
export function checkedText(value: string, field: string): string {
  if (looksLikeLegacyVietnamese(value))
    throw refuse(
      422,
      ErrorCode.LEGACY_ENCODING_REFUSED,
      `${field} looks like TCVN3 (ABC) or VNI text: the sender must convert it to Unicode (TCVN 6909:2001).`,
    );
  const hidden = invisibleCharacter(value);
  if (hidden)
    throw refuse(422, ErrorCode.MALFORMED_PACKAGE, `${field} contains an invisible or direction-changing character (${hidden}): the sender must remove it.`);
  return value;
}
