import {
  type FieldNode,
  getArgumentValues,
  type GraphQLField,
  type GraphQLResolveInfo,
  type SelectionSetNode,
  Kind,
  getNamedType,
  isCompositeType,
  isObjectType,
  isInterfaceType,
} from 'graphql';

/**
 * What a request asks of a field's result, looked ahead of execution (as PostGraphile and Join Monster
 * do): for each field name, the type conditions it was asked under, its arguments and what it asks in
 * turn. Aliases fold onto the field name, since the executor reads `source[fieldName]` for each alias;
 * a field asked twice with different arguments cannot be prepared once, and says so (`conflict`).
 */
export interface Selection {
  fields: Map<string, SelectedField>;
}

export interface SelectedField {
  name: string;
  /** The type names the field was asked under (the parent type's own name when asked directly). */
  on: Set<string>;
  args: Record<string, unknown>;
  selection: Selection | null;
  conflict: boolean;
  argsKey?: string;
}

/** The selection under the field being resolved (`info`), or null when it cannot be read ahead. */
export function selectionOf(info: GraphQLResolveInfo): Selection | null {
  const parentField = info.parentType.getFields()[info.fieldName];
  if (!parentField) return null;
  const type = getNamedType(parentField.type);
  const out: Selection = { fields: new Map() };
  for (const node of info.fieldNodes) if (node.selectionSet && !collect(info, type.name, node.selectionSet, out)) return null;
  return out;
}

/** The selection at a path of field names under `sel` (e.g. edges → node), or null when not asked. */
export function at(sel: Selection | null, ...path: string[]): Selection | null {
  let s = sel;
  for (const p of path) s = s?.fields.get(p)?.selection ?? null;
  return s;
}

function collect(info: GraphQLResolveInfo, typeName: string, set: SelectionSetNode, out: Selection): boolean {
  const type = info.schema.getType(typeName);
  if (!type || !isCompositeType(type)) return false;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (!addField(info, typeName, s, out)) return false;
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      if (!collect(info, s.typeCondition?.name.value ?? typeName, s.selectionSet, out)) return false;
    } else {
      const fragment = info.fragments[s.name.value];
      if (!fragment || !collect(info, fragment.typeCondition.name.value, fragment.selectionSet, out)) return false;
    }
  }
  return true;
}

function fieldDef(info: GraphQLResolveInfo, typeName: string, name: string): GraphQLField<unknown, unknown> | undefined {
  const type = info.schema.getType(typeName);
  return type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[name] : undefined;
}

function addField(info: GraphQLResolveInfo, typeName: string, node: FieldNode, out: Selection): boolean {
  const name = node.name.value;
  let field = out.fields.get(name);
  if (!field) {
    field = { name, on: new Set(), args: {}, selection: null, conflict: false };
    out.fields.set(name, field);
  }
  field.on.add(typeName);
  if (name === '__typename') return true;
  const def = fieldDef(info, typeName, name);
  if (!def) return false;
  const args = getArgumentValues(def, node, info.variableValues);
  const key = JSON.stringify(args);
  if (field.argsKey !== undefined && field.argsKey !== key) field.conflict = true;
  field.argsKey = key;
  field.args = args;
  if (node.selectionSet) {
    field.selection ??= { fields: new Map() };
    return collect(info, getNamedType(def.type).name, node.selectionSet, field.selection);
  }
  return true;
}
