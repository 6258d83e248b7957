import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../common/node';
import { IncidentState } from '../../src/domain/incidents/incident-rules';
import { Connection } from '../common/connection';
import { DateTimeScalar } from '../common/scalars';

registerEnumType(IncidentState, {
  name: 'IncidentState',
  description: 'Where an incident stands.',
  valuesConfig: {
    REPORTED: { description: 'Reported, not yet taken up.' },
    IN_PROGRESS: { description: 'The administrator is working it (with the provincial ICT department when needed).' },
    CLOSED: { description: 'Resolved; the resolution says how.' },
  },
});

@ObjectType('IncidentEvent', { description: 'A step in an incident’s history: reported, a note of the work, closed.' })
export class IncidentEventType {
  @Field(() => IncidentState, { nullable: true }) fromState!: IncidentState | null;
  @Field(() => IncidentState) toState!: IncidentState;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => DateTimeScalar) at!: Date;
}

@ObjectType('Incident', {
  implements: Node,
  description: 'A fault met in using the system (sự cố, Điều 10.4), reported to the network administrator (SYSADMIN).',
})
export class IncidentType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'What went wrong, in a line.' }) summary!: string;
  @Field(() => String, { nullable: true }) details!: string | null;
  @Field(() => String, { nullable: true, description: 'Where in the system: a screen, page or operation.' }) screen!: string | null;
  @Field(() => DateTimeScalar, { description: 'When the fault happened.' }) occurredAt!: Date;
  @Field(() => DateTimeScalar) reportedAt!: Date;
  @Field(() => IncidentState) state!: IncidentState;
  @Field(() => String, { nullable: true, description: 'How it was resolved (when CLOSED).' }) resolution!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) closedAt!: Date | null;
}

export const IncidentConnection = Connection(IncidentType, 'Incident');
