import type { GraphQLSchema } from 'graphql';
import { normaliseText, MAX_INPUT_STRING_LENGTH } from '../domain/text/normalise';
import { AppError, ErrorCode, badInput } from '../errors';

/** Arguments that hold secrets: only brought to NFC, never trimmed or judged as text. */
const SECRETS = new Set(['password', 'currentPassword', 'newPassword', 'secret']);

function normalise(value: unknown, path: string, key: string): unknown {
  if (typeof value === 'string') {
    if (SECRETS.has(key)) {
      if (value.length > 1000) throw badInput(`${path} is too long.`, path);
      return value.normalize('NFC');
    }
    const r = normaliseText(value);
    if ('value' in r) return r.value;
    switch (r.problem.kind) {
      case 'TOO_LONG':
        throw badInput(`${path} is too long: at most ${MAX_INPUT_STRING_LENGTH} characters.`, path);
      case 'CONTROL_CHARACTERS':
        throw badInput(`${path} contains control characters; remove them and try again.`, path);
      case 'INVISIBLE_CHARACTERS':
        throw badInput(
          `${path} contains an invisible or direction-changing character (${r.problem.codePoint}), which can make text read differently from what it says; remove it and try again.`,
          path,
        );
      case 'LEGACY_ENCODING':
        throw new AppError(
          ErrorCode.LEGACY_ENCODING_REFUSED,
          `${path} looks like Vietnamese typed in TCVN3 (ABC) or VNI. Convert it to Unicode (TCVN 6909:2001), for example with Unikey’s converter, and try again.`,
          { field: path },
        );
    }
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = normalise(value[i], `${path}[${i}]`, key);
    return value;
  }
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) obj[k] = normalise(obj[k], `${path}.${k}`, k);
    return obj;
  }
  return value;
}

/** Brings every string of an operation's arguments to NFC, trimmed; refuses legacy encodings, oversized text, control and invisible characters. */
export function normaliseArgs(args: Record<string, unknown>): void {
  for (const k of Object.keys(args)) args[k] = normalise(args[k], k, k);
}

/**
 * Every string argument of every operation, at any depth, is stored as Unicode NFC and trimmed; text
 * in a legacy Vietnamese encoding is refused before any resolver sees it (TCVN 6909:2001, Điều 7.3).
 * Wraps the root fields only: wrapping every nested field would make each of them asynchronous.
 */
export function normaliseRootArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.args.length) continue;
      const resolve = field.resolve;
      const subscribe = field.subscribe;
      if (resolve)
        field.resolve = (source, args, ctx, info) => {
          normaliseArgs(args);
          return resolve(source, args, ctx, info);
        };
      if (subscribe)
        field.subscribe = (source, args, ctx, info) => {
          normaliseArgs(args);
          return subscribe(source, args, ctx, info);
        };
    }
  }
  return schema;
}
