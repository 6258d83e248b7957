import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

/** How deep and how wide one operation may be, on HTTP and on WebSocket alike. */
export const QUERY_LIMITS = { maxDepth: 12, maxAliases: 30, maxDirectives: 20, maxFields: 1500 } as const;

function limitError(what: string): GraphQLError {
  // The limits themselves are not revealed: the client learns what to change, not the numbers.
  return new GraphQLError(`The operation is too ${what}. Ask for less in one request.`, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
}

/**
 * Refuses operations nested too deeply, with too many aliases or directives, or asking for too many
 * fields in all (fragments counted where they are spread).
 */
export const queryLimits: ValidationRule = (context: ValidationContext): ASTVisitor => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  const measure = (set: SelectionSetNode | undefined, depth: number, seen: Set<string>, totals: { fields: number; aliases: number; directives: number; depth: number }) => {
    if (!set) return;
    totals.depth = Math.max(totals.depth, depth);
    if (totals.depth > QUERY_LIMITS.maxDepth || totals.fields > QUERY_LIMITS.maxFields) return;
    for (const sel of set.selections) {
      totals.directives += sel.directives?.length ?? 0;
      if (sel.kind === Kind.FIELD) {
        totals.fields++;
        if (sel.alias) totals.aliases++;
        measure(sel.selectionSet, depth + 1, seen, totals);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        measure(sel.selectionSet, depth, seen, totals);
      } else {
        const name = sel.name.value;
        if (seen.has(name)) continue;
        const frag = fragments.get(name);
        measure(frag?.selectionSet, depth, new Set([...seen, name]), totals);
      }
    }
  };

  return {
    OperationDefinition(node) {
      const totals = { fields: 0, aliases: 0, directives: node.directives?.length ?? 0, depth: 0 };
      measure(node.selectionSet, 1, new Set(), totals);
      if (totals.depth > QUERY_LIMITS.maxDepth) context.reportError(limitError('deep'));
      else if (totals.aliases > QUERY_LIMITS.maxAliases) context.reportError(limitError('wide (aliases)'));
      else if (totals.directives > QUERY_LIMITS.maxDirectives) context.reportError(limitError('decorated (directives)'));
      else if (totals.fields > QUERY_LIMITS.maxFields) context.reportError(limitError('large'));
    },
  };
};
