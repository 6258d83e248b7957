/**
 * Positions (chức vụ): what a person is in the organisation, as opposed to what the system lets them
 * do (roles). The capacity in which someone signs (NĐ 30/2020, Điều 13) follows from the position.
 */
export enum Position {
  DIRECTOR = 'DIRECTOR',
  ACTING_DIRECTOR = 'ACTING_DIRECTOR',
  DEPUTY_DIRECTOR = 'DEPUTY_DIRECTOR',
  CHAIR = 'CHAIR',
  VICE_CHAIR = 'VICE_CHAIR',
  OFFICE_CHIEF = 'OFFICE_CHIEF',
  DEPUTY_OFFICE_CHIEF = 'DEPUTY_OFFICE_CHIEF',
  CHIEF_INSPECTOR = 'CHIEF_INSPECTOR',
  DEPUTY_CHIEF_INSPECTOR = 'DEPUTY_CHIEF_INSPECTOR',
  HEAD_OF_DEPARTMENT = 'HEAD_OF_DEPARTMENT',
  DEPUTY_HEAD_OF_DEPARTMENT = 'DEPUTY_HEAD_OF_DEPARTMENT',
  PRINCIPAL_OFFICER = 'PRINCIPAL_OFFICER',
  OFFICER = 'OFFICER',
  RECORDS_CLERK = 'RECORDS_CLERK',
  SYSTEM_ADMINISTRATOR = 'SYSTEM_ADMINISTRATOR',
}

/** Where a position stands for signing. */
export enum PositionRank {
  /** Người đứng đầu cơ quan (Giám đốc; Chủ tịch of a collective body). */
  HEAD_OF_BODY = 'HEAD_OF_BODY',
  /** Cấp phó được giao quyền cấp trưởng: signs "Q.". */
  ACTING_HEAD_OF_BODY = 'ACTING_HEAD_OF_BODY',
  /** Cấp phó của người đứng đầu: signs "KT." for the head. */
  DEPUTY_HEAD_OF_BODY = 'DEPUTY_HEAD_OF_BODY',
  /** Người đứng đầu một đơn vị thuộc cơ quan (Chánh Văn phòng, Chánh Thanh tra, Trưởng phòng): may sign "TL." or "TUQ.". */
  HEAD_OF_UNIT = 'HEAD_OF_UNIT',
  DEPUTY_HEAD_OF_UNIT = 'DEPUTY_HEAD_OF_UNIT',
  NONE = 'NONE',
}

export interface PositionData {
  /** The title as written (Vietnamese). */
  title: string;
  rank: PositionRank;
  /** For a deputy or acting head: the position of the head they stand in for. */
  head?: Position;
}

/** The titles and ranks, as data: the Vietnamese title is what documents print. */
export const POSITIONS: Readonly<Record<Position, PositionData>> = {
  [Position.DIRECTOR]: { title: 'Giám đốc', rank: PositionRank.HEAD_OF_BODY },
  [Position.ACTING_DIRECTOR]: { title: 'Quyền Giám đốc', rank: PositionRank.ACTING_HEAD_OF_BODY, head: Position.DIRECTOR },
  [Position.DEPUTY_DIRECTOR]: { title: 'Phó Giám đốc', rank: PositionRank.DEPUTY_HEAD_OF_BODY, head: Position.DIRECTOR },
  [Position.CHAIR]: { title: 'Chủ tịch', rank: PositionRank.HEAD_OF_BODY },
  [Position.VICE_CHAIR]: { title: 'Phó Chủ tịch', rank: PositionRank.DEPUTY_HEAD_OF_BODY, head: Position.CHAIR },
  [Position.OFFICE_CHIEF]: { title: 'Chánh Văn phòng', rank: PositionRank.HEAD_OF_UNIT },
  [Position.DEPUTY_OFFICE_CHIEF]: { title: 'Phó Chánh Văn phòng', rank: PositionRank.DEPUTY_HEAD_OF_UNIT, head: Position.OFFICE_CHIEF },
  [Position.CHIEF_INSPECTOR]: { title: 'Chánh Thanh tra', rank: PositionRank.HEAD_OF_UNIT },
  [Position.DEPUTY_CHIEF_INSPECTOR]: { title: 'Phó Chánh Thanh tra', rank: PositionRank.DEPUTY_HEAD_OF_UNIT, head: Position.CHIEF_INSPECTOR },
  [Position.HEAD_OF_DEPARTMENT]: { title: 'Trưởng phòng', rank: PositionRank.HEAD_OF_UNIT },
  [Position.DEPUTY_HEAD_OF_DEPARTMENT]: { title: 'Phó Trưởng phòng', rank: PositionRank.DEPUTY_HEAD_OF_UNIT, head: Position.HEAD_OF_DEPARTMENT },
  [Position.PRINCIPAL_OFFICER]: { title: 'Chuyên viên chính', rank: PositionRank.NONE },
  [Position.OFFICER]: { title: 'Chuyên viên', rank: PositionRank.NONE },
  [Position.RECORDS_CLERK]: { title: 'Văn thư', rank: PositionRank.NONE },
  [Position.SYSTEM_ADMINISTRATOR]: { title: 'Quản trị hệ thống', rank: PositionRank.NONE },
};

const fold = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi-VN');

/** The position whose title this is (ignoring case and spacing), or null for a title that is not one of them. */
export function positionOfTitle(title: string | null | undefined): Position | null {
  if (!title) return null;
  const t = fold(title);
  return (Object.keys(POSITIONS) as Position[]).find((p) => fold(POSITIONS[p].title) === t) ?? null;
}

/** The title of a position. */
export function titleOf(p: Position): string {
  return POSITIONS[p].title;
}

/**
 * The printed title and the position an account gets from what an administrator gave: a position sets
 * its title; a title alone sets the position it names (a title that names none stays free text, with
 * no position, and signs in no capacity of its own). A title that contradicts the position is a problem.
 */
export function positionFields(
  title: string | null | undefined,
  code: Position | null | undefined,
): { position: string | null; positionCode: Position | null } | { problem: string } {
  if (code) {
    if (title && positionOfTitle(title) !== code) return { problem: `position "${title}" is not the title of ${code} (${titleOf(code)}): give one of them.` };
    return { position: titleOf(code), positionCode: code };
  }
  return { position: title || null, positionCode: positionOfTitle(title) };
}
