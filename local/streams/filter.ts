/**
 * Lambda event filtering for stream records, as an event source mapping applies it before
 * batching: a record reaches the function when any one pattern matches it (no pattern: every
 * record). Patterns match the record as the function receives it (`eventName`, `dynamodb.Keys`,
 * `dynamodb.NewImage` …), with the pattern syntax Lambda shares with EventBridge. The forms
 * implemented are those the app uses and their close relatives: exact values (a list: any one),
 * `prefix`, `suffix`, `exists`, `anything-but`, `equals-ignore-case`, `numeric`, nested objects.
 * Anything else is refused at start rather than matched loosely.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Pattern = { [key: string]: Json };

/** A pattern uses a matcher the local filter does not implement. */
export class UnsupportedFilterError extends Error {
  override readonly name = 'UnsupportedFilterError';
}

/** True when `record` matches any of `patterns`, or there are none. */
export function matchesAnyFilter(patterns: readonly Pattern[], record: unknown): boolean {
  return patterns.length === 0 || patterns.some((pattern) => matchesFilter(pattern, record));
}

/** True when every field of `pattern` matches `record` (fields it names that `record` lacks match only `exists: false`). */
export function matchesFilter(pattern: Pattern, record: unknown): boolean {
  const fields = isObject(record) ? record : {};
  for (const [field, expected] of Object.entries(pattern)) {
    const actual = fields[field] as Json | undefined;
    if (Array.isArray(expected)) {
      if (!expected.some((matcher) => matchesValue(matcher, actual))) return false;
    } else if (isObject(expected)) {
      // A missing or scalar field has no sub-fields: only `exists: false` leaves can match under it.
      if (!matchesFilter(expected, isObject(actual) ? actual : undefined)) return false;
    } else {
      throw new UnsupportedFilterError(
        `Filter field "${field}" must be a list of matchers or a nested pattern, got ${JSON.stringify(expected)}.`,
      );
    }
  }
  return true;
}

/** Checks a pattern once (at start): every matcher it uses is one `matchesFilter` implements. */
export function assertSupportedFilter(pattern: Pattern): void {
  for (const [field, expected] of Object.entries(pattern)) {
    if (Array.isArray(expected)) for (const matcher of expected) matchesValue(matcher, '');
    else if (isObject(expected)) assertSupportedFilter(expected);
    else
      throw new UnsupportedFilterError(
        `Filter field "${field}" must be a list of matchers or a nested pattern.`,
      );
  }
}

function matchesValue(matcher: Json, actual: Json | undefined): boolean {
  if (Array.isArray(actual)) return actual.some((a) => matchesValue(matcher, a));
  if (!isObject(matcher)) return actual === matcher;
  const entries = Object.entries(matcher);
  const [kind, arg] = entries[0] ?? [];
  if (entries.length !== 1)
    throw new UnsupportedFilterError(`Matcher ${JSON.stringify(matcher)} has not one key.`);
  switch (kind) {
    case 'exists':
      return arg === (actual !== undefined && !isObject(actual));
    case 'prefix':
      return typeof actual === 'string' && typeof arg === 'string' && actual.startsWith(arg);
    case 'suffix':
      return typeof actual === 'string' && typeof arg === 'string' && actual.endsWith(arg);
    case 'equals-ignore-case':
      return (
        typeof actual === 'string' && typeof arg === 'string' && actual.toLowerCase() === arg.toLowerCase()
      );
    case 'anything-but': {
      if (actual === undefined) return false;
      if (isObject(arg)) return !matchesValue(arg, actual);
      const excluded = Array.isArray(arg) ? arg : [arg as Json];
      return !excluded.some((x) => x === actual);
    }
    case 'numeric':
      return matchesNumeric(arg, actual);
    default:
      throw new UnsupportedFilterError(
        `Filter matcher "${kind}" is not supported by the local stream poller.`,
      );
  }
}

/** `{ numeric: ['>', 0, '<=', 5] }`; DynamoDB numbers arrive as strings (`{ N: '5' }`). */
function matchesNumeric(arg: Json | undefined, actual: Json | undefined): boolean {
  if (!Array.isArray(arg) || arg.length % 2 !== 0) {
    throw new UnsupportedFilterError(`numeric needs operator/value pairs, got ${JSON.stringify(arg)}.`);
  }
  const value =
    typeof actual === 'number' ? actual : typeof actual === 'string' ? Number(actual) : Number.NaN;
  if (Number.isNaN(value)) return false;
  for (let i = 0; i < arg.length; i += 2) {
    const operator = arg[i];
    const bound = Number(arg[i + 1]);
    const ok =
      operator === '='
        ? value === bound
        : operator === '>'
          ? value > bound
          : operator === '>='
            ? value >= bound
            : operator === '<'
              ? value < bound
              : operator === '<='
                ? value <= bound
                : undefined;
    if (ok === undefined)
      throw new UnsupportedFilterError(`numeric operator ${JSON.stringify(operator)} is unknown.`);
    if (!ok) return false;
  }
  return true;
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
