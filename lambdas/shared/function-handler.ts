/**
 * A handler of a function no route names (internal calls, pipeline steps, schedules, events),
 * made from its declaration (`#contracts/functions.ts`): the base chain (logger, correlation id,
 * metrics, tracer), failures logged with their code and rethrown, and the event validated with
 * the declared `event` schema when there is one (the implementation never parses it itself).
 *
 * ```ts
 * export const handler = functionHandler('catalogInternal', (request) => catalogInternal(deps, request));
 * ```
 */
import type { Context } from 'aws-lambda';
import { FUNCTIONS, type FunctionDeclaration, type FunctionId } from '#contracts/functions.ts';
import * as z from '#contracts/zod.ts';
import { baseChain } from './handler-chain.ts';
import { typedErrors } from './middleware/typed-errors.ts';

/** A declared event schema that the event did not match: the caller sent the wrong shape. */
export class InvalidEventError extends Error {
  constructor(functionId: string, message: string) {
    super(`${functionId}: ${message}`);
    this.name = 'InvalidEventError';
  }
}

type DeclaredEvent<D> = D extends { readonly event: infer S }
  ? S extends z.core.$ZodType
    ? z.output<S>
    : never
  : never;

/** The event type: the declared schema's output, else what the implementation says it takes. */
type EventOf<K extends FunctionId, TEvent> = [DeclaredEvent<(typeof FUNCTIONS)[K]>] extends [never]
  ? TEvent
  : DeclaredEvent<(typeof FUNCTIONS)[K]>;

export function functionHandler<K extends FunctionId, TEvent = unknown, TResult = unknown>(
  functionId: K,
  implementation: (event: EventOf<K, TEvent>, context: Context) => Promise<TResult>,
) {
  const declaration: FunctionDeclaration = FUNCTIONS[functionId];
  const schema = declaration.event;
  return baseChain<EventOf<K, TEvent>, TResult>({ countAs: declaration.countAs })
    .use(typedErrors())
    .use({
      before: (request) => {
        if (!schema) return;
        const parsed = z.safeParse(schema, request.event);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
          throw new InvalidEventError(functionId, `${where}${issue?.message ?? 'invalid event'}`);
        }
        request.event = parsed.data as EventOf<K, TEvent>;
      },
    })
    .handler(implementation);
}
