import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionDeclaration, type FunctionId } from '../../lambdas/contracts/functions.ts';
import type { ServiceFunction } from './service-function.ts';

export interface TriggersProps {
  /** The functions whose declared `trigger` becomes a rule. */
  readonly functions: ReadonlyMap<FunctionId, ServiceFunction>;
  /** Where EventBridge keeps events it could not deliver to a target. @default none */
  readonly deadLetterQueue?: IQueue;
}

/**
 * The EventBridge rules that start functions besides a route or a call: each declared `trigger`
 * (`lambdas/contracts/functions.ts`), a schedule or an event pattern, becomes one rule with the
 * function as its target. The local platform reads the same rules from the template.
 */
export class Triggers extends Construct {
  public readonly rules: ReadonlyMap<FunctionId, Rule>;

  constructor(scope: Construct, id: string, props: TriggersProps) {
    super(scope, id);
    const rules = new Map<FunctionId, Rule>();
    for (const [functionId, fn] of props.functions) {
      const declaration: FunctionDeclaration = FUNCTIONS[functionId];
      const trigger = declaration.trigger;
      if (!trigger) continue;
      const target = new LambdaFunction(fn, {
        retryAttempts: trigger.retryAttempts,
        ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      });
      const rule =
        trigger.kind === 'schedule'
          ? new Rule(this, trigger.ruleId, {
              description: trigger.description,
              schedule: trigger.cron
                ? Schedule.cron(trigger.cron)
                : Schedule.rate(Duration.hours(trigger.rateHours ?? 1)),
              targets: [target],
            })
          : new Rule(this, trigger.ruleId, {
              description: trigger.description,
              eventPattern: {
                source: [trigger.source],
                detailType: [trigger.detailType],
                ...(trigger.detail ? { detail: { ...trigger.detail } } : {}),
              },
              targets: [target],
            });
      rules.set(functionId, rule);
    }
    this.rules = rules;
  }
}
