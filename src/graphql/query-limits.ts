import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  Kind,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  parse,
  specifiedRules,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination';

/**
 * How deep, wide, long and costly one operation may be, on HTTP and on WebSocket alike. Every limit
 * is answered with QUERY_TOO_COMPLEX and a message that names what to change, never the number.
 */
export const QUERY_LIMITS = {
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 20,
  maxFields: 1500,
  /**
   * Lexical tokens in one document, counted by the parser, which stops at the first one over: a
   * document of millions of tokens costs no more than one of this many. The largest operation the
   * tests and the bench send has under 200; 2,000 leaves frontends room.
   */
  maxTokens: 2000,
  /**
   * The estimated cost of one operation (see `operationCost`). The bench's inbox page — 100
   * documents with keeping unit, sender, attachments, last event and assignments with assignees and
   * their units — costs 5,601; a page of 100 documents each with a page of 100 history entries 40,301.
   */
  maxCost: 20_000,
  /** How many items a list with no paging arguments (a document's assignments, a unit's children) is taken to hold. */
  assumedListSize: 10,
} as const;

/** What the parser is told, on HTTP (Apollo's `parseOptions`) and on WebSocket. */
export const PARSE_OPTIONS: ParseOptions = { maxLexicalTokens: QUERY_LIMITS.maxTokens };

/** The refusal of an operation over a limit: the client learns what to change, not the numbers. */
export function tooComplex(what: string): GraphQLError {
  return new GraphQLError(`The operation is too ${what}. Ask for less in one request.`, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
}

export const TOO_LONG = 'long (too many tokens)';

/**
 * True when a parse error is the token limit's. graphql-js says so only in its message, whose wording
 * changes between versions, so the tokens of the source are counted again (up to one over the limit).
 */
export function isTokenLimitError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 3; depth++) {
    const body = e instanceof GraphQLError ? e.source?.body : undefined;
    if (body !== undefined) return exceedsTokenLimit(body);
    e = (e as { originalError?: unknown }).originalError;
  }
  return false;
}

function exceedsTokenLimit(body: string): boolean {
  const lexer = new Lexer(new Source(body));
  try {
    for (let n = 0; n <= QUERY_LIMITS.maxTokens; n++) if (lexer.advance().kind === TokenKind.EOF) return false;
    return true;
  } catch {
    // A lexical error before the limit was reached: an ordinary syntax error.
    return false;
  }
}

/**
 * Parses and validates one operation under the limits, as Apollo does over HTTP, with the codes
 * Apollo gives (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, QUERY_TOO_COMPLEX). For the
 * WebSocket endpoint, whose library would otherwise parse without a token limit. `introspection:
 * false` (production) refuses `__schema` and `__type` as Apollo does over HTTP.
 */
export function checkOperation(
  schema: GraphQLSchema,
  source: string,
  opts: { introspection?: boolean } = {},
): { document: DocumentNode } | { errors: GraphQLError[] } {
  let document: DocumentNode;
  try {
    document = parse(source, PARSE_OPTIONS);
  } catch (e) {
    if (isTokenLimitError(e)) return { errors: [tooComplex(TOO_LONG)] };
    if (e instanceof GraphQLError)
      return { errors: [new GraphQLError(e.message, { source: e.source, positions: e.positions, extensions: { code: 'GRAPHQL_PARSE_FAILED' } })] };
    throw e;
  }
  // Introspection off (production) is refused as Apollo refuses it over HTTP: __schema and __type, not __typename.
  const rules = [...specifiedRules, ...QUERY_VALIDATION_RULES, ...(opts.introspection === false ? [NoSchemaIntrospectionCustomRule] : [])];
  const errors = validate(schema, document, rules);
  if (errors.length) {
    return {
      errors: errors.map((e) =>
        e.extensions?.code
          ? e
          : new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
      ),
    };
  }
  return { document };
}

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  return fragments;
}

/**
 * The page a field asks for when it takes `first` or `last`: the literal (at most 100), the default
 * page when absent, and the largest page for a variable, whose value validation does not know.
 */
function pageOf(field: FieldNode, def: GraphQLField<unknown, unknown>): number | undefined {
  if (!def.args.some((a) => a.name === 'first' || a.name === 'last')) return undefined;
  let page: number | undefined;
  for (const arg of field.arguments ?? []) {
    if (arg.name.value !== 'first' && arg.name.value !== 'last') continue;
    const v = arg.value;
    const size =
      v.kind === Kind.INT ? Math.min(Math.max(Number.parseInt(v.value, 10), 0), MAX_PAGE_SIZE) : v.kind === Kind.NULL ? DEFAULT_PAGE_SIZE : MAX_PAGE_SIZE;
    page = Math.max(page ?? 0, size);
  }
  return page ?? DEFAULT_PAGE_SIZE;
}

/**
 * The estimated cost of one operation: each object a field yields costs 1 (scalars and enums are
 * free), and a list multiplies the cost of what is selected inside it by how many items it may hold —
 * the page a connection asks for (`first`/`last`, 20 when absent, at most 100, 100 for a variable)
 * for its `edges`, or `assumedListSize` for a list with no paging. Nested lists multiply down.
 * Fragments count where they are spread; `@skip`/`@include` are ignored (the cost is an upper bound).
 */
export function operationCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Fragments): number {
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();

  const selectionCost = (set: SelectionSetNode | undefined, type: GraphQLNamedType | null | undefined, page: number | undefined): number => {
    if (!set || !type) return 0;
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        cost += fieldCost(sel, type, page);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        cost += selectionCost(sel.selectionSet, sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type, page);
      } else {
        cost += spreadCost(sel.name.value, page);
      }
    }
    return cost;
  };

  const spreadCost = (name: string, page: number | undefined): number => {
    const key = `${name}|${page ?? ''}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const frag = fragments.get(name);
    // A cycle is refused by graphql-js's own rule; here it only must not loop.
    if (!frag || inProgress.has(key)) return 0;
    inProgress.add(key);
    const cost = selectionCost(frag.selectionSet, schema.getType(frag.typeCondition.name.value), page);
    inProgress.delete(key);
    memo.set(key, cost);
    return cost;
  };

  const fieldCost = (field: FieldNode, parent: GraphQLNamedType, page: number | undefined): number => {
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
    const def = parent.getFields()[field.name.value];
    if (!def) return 0;
    const named = getNamedType(def.type);
    if (isLeafType(named)) return 0;
    const ownPage = pageOf(field, def);
    const isList = isListType(getNullableType(def.type));
    // A connection's page applies to its edges; a list that takes `first` itself is that long.
    const items = isList ? (ownPage ?? page ?? QUERY_LIMITS.assumedListSize) : 1;
    return items * (1 + selectionCost(field.selectionSet, named, isList ? undefined : ownPage));
  };

  return selectionCost(operation.selectionSet, schema.getRootType(operation.operation), undefined);
}

/** The cost of the costliest operation in a document (see `operationCost`). */
export function documentCost(schema: GraphQLSchema, document: DocumentNode): number {
  const fragments = fragmentsOf(document);
  let max = 0;
  for (const def of document.definitions) if (def.kind === Kind.OPERATION_DEFINITION) max = Math.max(max, operationCost(schema, def, fragments));
  return max;
}

/**
 * Refuses operations nested too deeply, with too many aliases or directives, asking for too many
 * fields in all (fragments counted where they are spread), or costing too much (`operationCost`).
 */
export const queryLimits: ValidationRule = (context: ValidationContext): ASTVisitor => {
  const fragments = fragmentsOf(context.getDocument());

  const measure = (
    set: SelectionSetNode | undefined,
    depth: number,
    seen: Set<string>,
    totals: { fields: number; aliases: number; directives: number; depth: number },
  ) => {
    if (!set) return;
    totals.depth = Math.max(totals.depth, depth);
    if (totals.depth > QUERY_LIMITS.maxDepth || totals.fields > QUERY_LIMITS.maxFields) return;
    for (const sel of set.selections) {
      totals.directives += sel.directives?.length ?? 0;
      if (sel.kind === Kind.FIELD) {
        totals.fields++;
        if (sel.alias) totals.aliases++;
        // __Type.ofType (introspection's NonNull/List wrappers) is one object, never a list, and as deep
        // as the schema's wrapping: IDEs ask for about eight levels of it, which must not count as depth.
        measure(sel.selectionSet, sel.name.value === 'ofType' ? depth : depth + 1, seen, totals);
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
      if (totals.depth > QUERY_LIMITS.maxDepth) context.reportError(tooComplex('deep'));
      else if (totals.aliases > QUERY_LIMITS.maxAliases) context.reportError(tooComplex('wide (aliases)'));
      else if (totals.directives > QUERY_LIMITS.maxDirectives) context.reportError(tooComplex('decorated (directives)'));
      else if (totals.fields > QUERY_LIMITS.maxFields) context.reportError(tooComplex('large'));
      else if (operationCost(context.getSchema(), node, fragments) > QUERY_LIMITS.maxCost)
        context.reportError(tooComplex('costly (ask for smaller pages or fewer nested lists)'));
    },
  };
};

/** The validation rules added to graphql-js's own, on HTTP and on WebSocket. */
export const QUERY_VALIDATION_RULES: readonly ValidationRule[] = [queryLimits];
