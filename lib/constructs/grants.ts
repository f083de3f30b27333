/**
 * Least-privilege grants with exact actions. The L2 `grantRead`/`grantWrite` helpers add
 * `s3:GetObject*`, `s3:List*`, `s3:Abort*` and table indexes the functions never use.
 *
 * A grant on the objects under a key prefix has to end in `*`, which cdk-nag's IAM5 reports.
 * `allowObjects` records why next to the grant; `ShowrunnerChecks` (lib/nag.ts) turns each
 * record into an acknowledgement of exactly that resource, so an unexpected wildcard anywhere
 * else still fails the synth.
 */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

export type ObjectAction = 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject';
export type ItemAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:ConditionCheckItem'
  | 'dynamodb:Query';

const TABLE_ACTIONS: Record<'read' | 'write', readonly ItemAction[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  write: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:ConditionCheckItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
  ],
};

/** A prefix grant and why it needs its wildcard. */
export interface ScopedGrant {
  readonly keySuffix: string;
  readonly reason: string;
}

const scopedGrants = new WeakMap<IConstruct, ScopedGrant[]>();

/** The prefix grants recorded on a principal construct (role or function). */
export function scopedGrantsOf(scope: IConstruct): readonly ScopedGrant[] {
  return scopedGrants.get(scope) ?? [];
}

/** Object actions under one key prefix of a bucket, with the reason the wildcard is needed. */
export function allowObjects(
  grantee: IGrantable & IConstruct,
  bucket: IBucket,
  prefix: string,
  actions: readonly ObjectAction[],
  reason: string,
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: [...actions], resources: [bucket.arnForObjects(`${prefix}*`)] }),
  );
  const principal = principalConstruct(grantee);
  const list = scopedGrants.get(principal) ?? [];
  list.push({ keySuffix: `/${prefix}*`, reason: `${actions.join(', ')} on ${prefix}*: ${reason}` });
  scopedGrants.set(principal, list);
}

/** `ListBucket`, only for keys under one prefix. */
export function allowListing(grantee: IGrantable, bucket: IBucket, prefix: string): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    }),
  );
}

/** Item actions on the table itself, not its indexes. */
export function allowItems(grantee: IGrantable, table: ITable, actions: readonly ItemAction[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: [...actions], resources: [table.tableArn] }),
  );
}

/** Functions record their grants on their role, so the policy under it finds them. */
function principalConstruct(grantee: IGrantable & IConstruct): IConstruct {
  const role = (grantee as { role?: IConstruct }).role;
  return role ?? grantee;
}

/**
 * A declared table, `read` or `write` (items only: no Scan, no table administration). Queries on
 * its indexes need `<table>/index/*`, recorded with its reason like a prefix grant.
 */
export function allowTable(
  grantee: IGrantable & IConstruct,
  table: ITable,
  access: 'read' | 'write',
  indexNames: readonly string[],
): void {
  const actions = TABLE_ACTIONS[access];
  allowItems(grantee, table, actions);
  if (indexNames.length === 0) return;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/*`] }),
  );
  const principal = principalConstruct(grantee);
  const list = scopedGrants.get(principal) ?? [];
  list.push({
    keySuffix: '/index/*',
    reason: `dynamodb:Query on the indexes of its own table (${indexNames.join(', ')}); index ARNs end in the index name.`,
  });
  scopedGrants.set(principal, list);
}
