import { MaxLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { INCIDENT_LIMITS, IncidentState } from '../../src/domain/incidents/incident-rules';
import { DateTimeScalar } from '../common/scalars';

@InputType({ description: 'An incident as its reporter describes it.' })
export class ReportIncidentInput {
  @Field(() => String) @MaxLength(INCIDENT_LIMITS.summary) summary!: string;
  @Field(() => String, { nullable: true }) @MaxLength(INCIDENT_LIMITS.details) details?: string | null;
  @Field(() => DateTimeScalar, { description: 'When it happened: not in the future, at most a year ago.' }) occurredAt!: Date;
  @Field(() => String, { nullable: true, description: 'The screen, page or operation concerned.' }) @MaxLength(INCIDENT_LIMITS.screen) screen?: string | null;
  @Field(() => ID, { nullable: true, description: 'A document the fault concerns: one the reporter may read (NOT_FOUND otherwise).' }) documentId?:
    string | null;
}

@InputType({ description: 'Narrows the incident list.' })
export class IncidentFilter {
  @Field(() => [IncidentState], { nullable: true }) states?: IncidentState[] | null;
  @Field(() => Int, { nullable: true, description: 'Reported in this office year.' }) year?: number | null;
}
