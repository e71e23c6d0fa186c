import type { DomainEvent, EventDefinition } from './domain-event.ts';

const catalogue = new Map<string, EventDefinition>();

const keyOf = (aggregateType: string, type: string, version: number) => `${aggregateType}/${type}.v${version}`;

/**
 * Declares an event type at a version and enters it in the process's catalogue. A type and
 * version of an aggregate type names one payload shape for good: a changed shape is a new version,
 * declared beside the old one while consumers still read it. The aggregate type is part of the
 * name, so the core's `PaymentStatusChanged` (`core-payment`) and the payments module's
 * (`payment`) are two events.
 */
export function defineEvent<P>(definition: EventDefinition<P>): EventDefinition<P> {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(definition.type)) throw new Error(`event type ${definition.type} must be PascalCase`);
  if (!/^[a-z][a-z0-9-]*$/.test(definition.aggregateType)) throw new Error(`aggregate type ${definition.aggregateType} must be kebab-case`);
  if (!Number.isInteger(definition.version) || definition.version < 1) throw new Error(`event ${definition.type}: version must be a positive integer`);
  const key = keyOf(definition.aggregateType, definition.type, definition.version);
  const known = catalogue.get(key);
  if (known && known !== definition) throw new Error(`event ${key} is declared twice`);
  catalogue.set(key, definition as EventDefinition);
  return definition;
}

/** The declared definition of an aggregate type's event type at a version, if this process knows it. */
export function findEventDefinition(aggregateType: string, type: string, version: number): EventDefinition | undefined {
  return catalogue.get(keyOf(aggregateType, type, version));
}

/** Every declared event, for documentation and the contract tests. */
export function listEventDefinitions(): EventDefinition[] {
  return [...catalogue.values()];
}

/** NATS subject tokens may not hold `.`, `*`, `>` or white space. */
const subjectToken = (value: string) => value.replace(/[.*>\s]/g, '_');

/**
 * The bus subject of an event: `<aggregate type>.<aggregate id>.<Type>.v<version>`. One subject
 * per aggregate keeps its events in order for any consumer filtering on it.
 */
export function subjectOf(definition: EventDefinition, aggregateId: string): string {
  return `${definition.aggregateType}.${subjectToken(aggregateId)}.${definition.type}.v${definition.version}`;
}

/** The subject filter of every event of an aggregate type (`consent.>`). */
export function aggregateSubjectFilter(aggregateType: string): string {
  return `${aggregateType}.>`;
}

/** Whether an event is of this definition's aggregate type, type and version. */
export function isEventOf<P>(definition: EventDefinition<P>, event: DomainEvent): event is DomainEvent<P> {
  return event.aggregate.type === definition.aggregateType && event.type === definition.type && event.version === definition.version;
}
