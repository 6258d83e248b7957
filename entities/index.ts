import { Account } from './Account';
import { AccountEvent } from './AccountEvent';
import { AccountUnitPeriod } from './AccountUnitPeriod';
import { Correspondent } from './Correspondent';
import { DocumentType } from './DocumentType';
import { LoginThrottle } from './LoginThrottle';
import { Session } from './Session';
import { Unit } from './Unit';

export { Account, AccountEvent, AccountUnitPeriod, Correspondent, DocumentType, LoginThrottle, Session, Unit };

/** Every entity, for the ORM's configuration. */
export const ENTITIES = [Unit, Account, AccountUnitPeriod, AccountEvent, Session, LoginThrottle, DocumentType, Correspondent];
