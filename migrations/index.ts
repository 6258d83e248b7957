import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126090139_foundation } from './Migration20261126090139_foundation';
import { Migration20261126090200_document_types } from './Migration20261126090200_document_types';
import { Migration20261126091826_incoming_documents } from './Migration20261126091826_incoming_documents';
import { Migration20261126093246_outgoing_documents } from './Migration20261126093246_outgoing_documents';
import { Migration20261126094219_live_events } from './Migration20261126094219_live_events';
import { Migration20261126095852_dossiers_search_oversight } from './Migration20261126095852_dossiers_search_oversight';
import { Migration20261126100756_permissions } from './Migration20261126100756_permissions';
import { Migration20261126103212_idempotency } from './Migration20261126103212_idempotency';
import { Migration20261126103448_hash_chains } from './Migration20261126103448_hash_chains';
import { Migration20261126115623_exchange } from './Migration20261126115623_exchange';
import { Migration20261126120000_app_role } from './Migration20261126120000_app_role';
import { Migration20261126133000_exchange_status_append_only } from './Migration20261126133000_exchange_status_append_only';
import { Migration20261127090000_agency_correspondents } from './Migration20261127090000_agency_correspondents';
import { Migration20261201090000_login_throttle_pairs } from './Migration20261201090000_login_throttle_pairs';
import { Migration20261201090000_sysadmin_separation } from './Migration20261201090000_sysadmin_separation';
import { Migration20261202100700_work_schedule } from './Migration20261202100700_work_schedule';
import { Migration20261202100600_working_days_incidents } from './Migration20261202100600_working_days_incidents';
import { Migration20261202100200_pdf_signatures } from './Migration20261202100200_pdf_signatures';
import { Migration20261202100300_assignment_changes } from './Migration20261202100300_assignment_changes';
import { Migration20261202100400_corrections_document_types } from './Migration20261202100400_corrections_document_types';
import { Migration20261202100500_centres_oversight } from './Migration20261202100500_centres_oversight';
import { Migration20261202100100_signing_forms_numbering } from './Migration20261202100100_signing_forms_numbering';
import { Migration20261202113000_document_search_vector } from './Migration20261202113000_document_search_vector';
import { Migration20261202120000_document_search_by_keeping_unit } from './Migration20261202120000_document_search_by_keeping_unit';
import { Migration20261202120100_returned_assignments } from './Migration20261202120100_returned_assignments';

/**
 * Every migration, in order. A file made by `npm run migration:create` must be added here
 * (a unit test fails when one is missing).
 */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261126090139_foundation', class: Migration20261126090139_foundation },
  { name: 'Migration20261126090200_document_types', class: Migration20261126090200_document_types },
  { name: 'Migration20261126091826_incoming_documents', class: Migration20261126091826_incoming_documents },
  { name: 'Migration20261126093246_outgoing_documents', class: Migration20261126093246_outgoing_documents },
  { name: 'Migration20261126094219_live_events', class: Migration20261126094219_live_events },
  { name: 'Migration20261126095852_dossiers_search_oversight', class: Migration20261126095852_dossiers_search_oversight },
  { name: 'Migration20261126100756_permissions', class: Migration20261126100756_permissions },
  { name: 'Migration20261126103212_idempotency', class: Migration20261126103212_idempotency },
  { name: 'Migration20261126103448_hash_chains', class: Migration20261126103448_hash_chains },
  { name: 'Migration20261126115623_exchange', class: Migration20261126115623_exchange },
  { name: 'Migration20261126120000_app_role', class: Migration20261126120000_app_role },
  { name: 'Migration20261126133000_exchange_status_append_only', class: Migration20261126133000_exchange_status_append_only },
  { name: 'Migration20261127090000_agency_correspondents', class: Migration20261127090000_agency_correspondents },
  { name: 'Migration20261201090000_login_throttle_pairs', class: Migration20261201090000_login_throttle_pairs },
  { name: 'Migration20261201090000_sysadmin_separation', class: Migration20261201090000_sysadmin_separation },
  { name: 'Migration20261202100100_signing_forms_numbering', class: Migration20261202100100_signing_forms_numbering },
  { name: 'Migration20261202100200_pdf_signatures', class: Migration20261202100200_pdf_signatures },
  { name: 'Migration20261202100300_assignment_changes', class: Migration20261202100300_assignment_changes },
  { name: 'Migration20261202100400_corrections_document_types', class: Migration20261202100400_corrections_document_types },
  { name: 'Migration20261202100500_centres_oversight', class: Migration20261202100500_centres_oversight },
  { name: 'Migration20261202100600_working_days_incidents', class: Migration20261202100600_working_days_incidents },
  { name: 'Migration20261202100700_work_schedule', class: Migration20261202100700_work_schedule },
  { name: 'Migration20261202113000_document_search_vector', class: Migration20261202113000_document_search_vector },
  { name: 'Migration20261202120000_document_search_by_keeping_unit', class: Migration20261202120000_document_search_by_keeping_unit },
  { name: 'Migration20261202120100_returned_assignments', class: Migration20261202120100_returned_assignments },
];
