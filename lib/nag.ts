/**
 * cdk-nag on every synth. `ShowrunnerChecks` is AwsSolutionsChecks plus one step: each prefix
 * grant made with `allowObjects` is acknowledged for exactly its resource, with the reason
 * recorded at the grant.
 */
import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';
import { scopedGrantsOf } from './constructs/grants.ts';

export class ShowrunnerChecks extends AwsSolutionsChecks {
  override validateScope(scope: IConstruct) {
    acknowledgeScopedGrants(scope);
    return super.validateScope(scope);
  }
}

function acknowledgeScopedGrants(scope: IConstruct): void {
  for (const node of scope.node.findAll()) {
    if (!(node instanceof CfnPolicy) || !CfnResource.isCfnResource(node)) continue;
    const grants = ancestors(node).flatMap((a) => scopedGrantsOf(a));
    if (grants.length === 0) continue;
    const document = Stack.of(node).resolve(node.policyDocument) as { Statement?: { Resource?: unknown }[] };
    for (const statement of document.Statement ?? []) {
      const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      for (const resource of resources) {
        const flat = flattenCfnReference(resource);
        const grant = grants.find((g) => flat.endsWith(g.keySuffix));
        if (grant) {
          Validations.of(node).acknowledge({
            id: `AwsSolutions::AwsSolutions-IAM5[Resource::${flat}]`,
            reason: grant.reason,
          });
        }
      }
    }
  }
}

function ancestors(node: IConstruct): IConstruct[] {
  const out: IConstruct[] = [];
  for (let current: IConstruct | undefined = node; current; current = current.node.scope) out.push(current);
  return out;
}
