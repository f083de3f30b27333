/**
 * A local EventBridge: the app's rules (event patterns and targets, from the template) matched
 * against events the local stand-ins emit: S3 "Object Created", MediaConvert state changes.
 */
import { randomUUID } from 'node:crypto';
import type { LocalRule } from './assembly.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface BusEvent {
  source: string;
  'detail-type': string;
  detail: Record<string, Json>;
  resources?: string[];
}

export type TargetInvoker = (targetArn: string, event: Record<string, Json>) => Promise<void>;

export class LocalEventBus {
  private readonly rules: readonly LocalRule[];
  private readonly invoke: TargetInvoker;
  private readonly onError: (error: unknown, targetArn: string) => void;

  constructor(
    rules: readonly LocalRule[],
    invoke: TargetInvoker,
    onError: (error: unknown, targetArn: string) => void,
  ) {
    this.rules = rules;
    this.invoke = invoke;
    this.onError = onError;
  }

  /** Delivers an event to every matching rule's targets (asynchronously, as EventBridge does). */
  put(event: BusEvent): number {
    const envelope: Record<string, Json> = {
      version: '0',
      id: randomUUID(),
      'detail-type': event['detail-type'],
      source: event.source,
      account: '000000000000',
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: event.resources ?? [],
      detail: event.detail,
    };
    let delivered = 0;
    for (const rule of this.rules) {
      if (!rule.eventPattern || !matchesPattern(rule.eventPattern, envelope)) continue;
      for (const target of rule.targets) {
        delivered++;
        this.invoke(target.arn, envelope).catch((error) => this.onError(error, target.arn));
      }
    }
    return delivered;
  }
}

/**
 * Runs the scheduled rules whose targets include `targetArn` now, as if the schedule fired at
 * `time` (EventBridge's "Scheduled Event"); resolves with what each target returned.
 */
export function scheduledEvent(rule: LocalRule, time: Date): Record<string, Json> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: time.toISOString(),
    region: 'us-east-1',
    resources: [`arn:aws:events:us-east-1:000000000000:rule/${rule.logicalId}`],
    detail: {},
  };
}

/**
 * EventBridge pattern matching for the forms the app uses: literal lists, `prefix`, `suffix`,
 * `exists`, `anything-but`, `equals-ignore-case`, nested objects.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */
export function matchesPattern(
  pattern: Record<string, Json>,
  event: Record<string, Json> | undefined,
): boolean {
  for (const [field, expected] of Object.entries(pattern)) {
    const actual = event?.[field];
    if (Array.isArray(expected)) {
      if (!expected.some((matcher) => matchesValue(matcher, actual))) return false;
    } else if (expected !== null && typeof expected === 'object') {
      if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
      if (!matchesPattern(expected, actual)) return false;
    } else {
      return false;
    }
  }
  return true;
}

function matchesValue(matcher: Json, actual: Json | undefined): boolean {
  if (Array.isArray(actual)) return actual.some((a) => matchesValue(matcher, a));
  if (matcher === null || typeof matcher !== 'object') return actual === matcher;
  const [kind, arg] = Object.entries(matcher)[0] ?? [];
  switch (kind) {
    case 'exists':
      return arg === (actual !== undefined);
    case 'prefix':
      return typeof actual === 'string' && actual.startsWith(String(arg));
    case 'suffix':
      return typeof actual === 'string' && actual.endsWith(String(arg));
    case 'equals-ignore-case':
      return typeof actual === 'string' && actual.toLowerCase() === String(arg).toLowerCase();
    case 'anything-but': {
      const excluded = Array.isArray(arg) ? arg : [arg as Json];
      return actual !== undefined && !excluded.some((x) => matchesValue(x, actual));
    }
    default:
      throw new Error(`Event pattern matcher "${kind}" is not supported locally`);
  }
}
