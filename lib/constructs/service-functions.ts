import { Construct } from 'constructs';
import type { FunctionId } from '../../lambdas/contracts/functions.ts';
import { type FunctionWiringProps, wireFunction } from './function-wiring.ts';
import { ServiceFunction } from './service-function.ts';

export interface ServiceFunctionsProps extends Omit<FunctionWiringProps, 'callees'> {
  /** The declared functions to build (`lambdas/contracts/functions.ts`). */
  readonly functionIds: readonly FunctionId[];
}

/**
 * A stack's house functions, each built from its declaration and wired by `wireFunction`: the
 * environment and exact grants its needs imply, and nothing else. Functions of the group may
 * invoke each other as their declarations say.
 */
export class ServiceFunctions extends Construct {
  /** Every function of the group, by id. */
  public readonly functions: ReadonlyMap<FunctionId, ServiceFunction>;

  constructor(scope: Construct, id: string, props: ServiceFunctionsProps) {
    super(scope, id);
    const functions = new Map<FunctionId, ServiceFunction>();
    for (const functionId of props.functionIds) {
      functions.set(
        functionId,
        new ServiceFunction(this, pascal(functionId), {
          functionId,
          logRetentionDays: props.config.logRetentionDays,
        }),
      );
    }
    for (const fn of functions.values()) wireFunction(fn, { ...props, callees: functions });
    this.functions = functions;
  }

  /** The function, or an error naming it (a stack asked for one it does not build). */
  get(functionId: FunctionId): ServiceFunction {
    const fn = this.functions.get(functionId);
    if (!fn) throw new Error(`No function ${functionId} in ${this.node.path}.`);
    return fn;
  }
}

function pascal(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}
