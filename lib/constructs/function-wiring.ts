/**
 * One wiring path: a function's declared needs (`lambdas/contracts/functions.ts`) become its
 * environment variables and its exact grants, in every stack. Nothing else adds variables or
 * statements to a house function: what a handler reads and what its role allows both follow from
 * its declaration, and the infra tests check that they follow exactly.
 *
 * Values only the running embedded platform knows (its edges, its media origin, its gateway's
 * URL) are not written here for the `local` target: the platform sets them from the same
 * declaration at start (`local/platform.ts`), so no layer writes a placeholder another overwrites.
 */
import { Stack } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { BUCKET_ENV, CONFIG_ENV, ENV, functionEnv, tableEnv, URL_ENV } from '../../lambdas/contracts/env.ts';
import {
  type ConfigNeed,
  type EdgeNeed,
  FUNCTIONS,
  type FunctionDeclaration,
  type FunctionId,
  type ObjectAction,
  type ObjectGrant,
} from '../../lambdas/contracts/functions.ts';
import type { BucketId } from '../../lambdas/contracts/storage.ts';
import { TABLES, type TableId } from '../../lambdas/contracts/tables.ts';
import type { TargetConfig } from '../config.ts';
import { allowListing, allowObjects, allowTable, type ObjectAction as S3ObjectAction } from './grants.ts';
import type { ServiceFunction } from './service-function.ts';

/** The delivery edge on CloudFront, as a function's `edge` needs reach it. */
export interface CloudFrontEdgeWiring {
  /** The signing keys (need `keys`, `provision`). */
  readonly signingKey: ISecret;
  /** SSM parameters the edge stack writes (needs `pathways`, `revocations`): known in advance, no cross-stack reference. */
  readonly parameterNames: { readonly pathways: string; readonly keyValueStoreArn: string };
  /** The KeyValueStore's ARN, where the stack can name it (need `provision`: the edge stack). */
  readonly keyValueStoreArn?: string;
  /** What writers of the KeyValueStore call (need `provision`). @default none */
  readonly keyValueStoreActions?: readonly string[];
  /**
   * Called with the role of each function that writes revocations: the edge stack grants them the
   * store, which the control plane cannot name (the edge stack depends on it).
   */
  readonly onRevocationWriter?: (role: IRole) => void;
}

export interface FunctionWiringProps {
  readonly config: TargetConfig;
  /** The tables functions may use, by id. @default none */
  readonly tables?: Partial<Readonly<Record<TableId, ITable>>>;
  /** The buckets functions may use, by id. @default none */
  readonly buckets?: Partial<Readonly<Record<BucketId, IBucket>>>;
  /** The functions of the same stack that others may invoke. @default none */
  readonly callees?: ReadonlyMap<FunctionId, IFunction>;
  /** The Cognito user pool and client (identity provider `cognito`). @default none */
  readonly userPool?: { readonly pool: IUserPool; readonly client: IUserPoolClient };
  /** The delivery edge (delivery edge `cloudfront`). @default none */
  readonly cloudFrontEdge?: CloudFrontEdgeWiring;
}

const S3_ACTIONS: Record<Exclude<ObjectAction, 'list'>, S3ObjectAction> = {
  get: 's3:GetObject',
  put: 's3:PutObject',
  delete: 's3:DeleteObject',
};

/** Environment and grants for every need `fn`'s declaration names. */
export function wireFunction(fn: ServiceFunction, props: FunctionWiringProps): void {
  const declaration: FunctionDeclaration = FUNCTIONS[fn.functionId];
  const { config } = props;
  const missing = (what: string) =>
    new Error(
      `${fn.functionId} declares ${what}, which its stack (${Stack.of(fn).stackName}) does not provide.`,
    );

  for (const [tableId, access] of Object.entries(declaration.tables ?? {}) as [TableId, 'read' | 'write'][]) {
    const table = props.tables?.[tableId];
    if (!table) throw missing(`table ${tableId}`);
    fn.addEnvironment(tableEnv(tableId), table.tableName);
    allowTable(
      fn,
      table,
      access,
      TABLES[tableId].indexes.map((i) => i.name),
    );
  }

  for (const [bucketId, grants] of Object.entries(declaration.buckets ?? {}) as [
    BucketId,
    readonly ObjectGrant[],
  ][]) {
    const bucket = props.buckets?.[bucketId];
    if (!bucket) throw missing(`bucket ${bucketId}`);
    fn.addEnvironment(BUCKET_ENV[bucketId], bucket.bucketName);
    for (const grant of grants ?? []) {
      const objectActions = grant.actions.filter((a) => a !== 'list').map((a) => S3_ACTIONS[a]);
      if (objectActions.length > 0) allowObjects(fn, bucket, grant.prefix, objectActions, grant.why);
      if (grant.actions.includes('list')) allowListing(fn, bucket, grant.prefix);
    }
  }

  for (const calleeId of (declaration.invokes ?? []) as FunctionId[]) {
    const callee = props.callees?.get(calleeId);
    if (!callee) throw missing(`an invoke of ${calleeId}`);
    fn.addEnvironment(functionEnv(calleeId), callee.functionName);
    // Exactly the function, not `<arn>:*` (versions and aliases) as grantInvoke would.
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [callee.functionArn] }),
    );
  }

  for (const need of declaration.config ?? []) fn.addEnvironment(CONFIG_ENV[need], configValue(config, need));

  for (const need of declaration.urls ?? []) {
    // `mediaOrigin` exists on the embedded platform only, which sets it when it starts.
    if (need === 'api' && config.apiBaseUrl) fn.addEnvironment(URL_ENV.api, config.apiBaseUrl);
  }

  if (declaration.identity) wireIdentity(fn, declaration.identity, props, missing);

  const edgeNeeds = declaration.edge ?? [];
  if (edgeNeeds.length > 0) {
    if (config.deliveryEdge === 'none') {
      throw new Error(
        `${fn.functionId} declares edge needs (${edgeNeeds.join(', ')}), but target ${config.target} has no delivery edge: leave it out there (a route with requires: 'edge').`,
      );
    }
    if (edgeNeeds.some((n) => n === 'revocations' || n === 'provision') && declaration.awsSdk !== 'bundled') {
      throw new Error(
        `${fn.functionId} writes the edge KeyValueStore, whose SigV4A signer needs the SDK in its bundle: declare awsSdk: 'bundled'.`,
      );
    }
    if (config.deliveryEdge === 'cloudfront') {
      const edge = props.cloudFrontEdge;
      if (!edge) throw missing('edge needs');
      for (const need of edgeNeeds) wireCloudFrontEdge(fn, need, edge, missing);
    }
  }
}

function configValue(config: TargetConfig, need: ConfigNeed): string {
  switch (need) {
    case 'target':
      return config.target;
    case 'gracePeriodDays':
      return String(config.gracePeriodDays);
    case 'maxSourceBytes':
      return String(config.maxSourceBytes);
    case 'maxSourceSeconds':
      return String(config.maxSourceSeconds);
  }
}

function wireIdentity(
  fn: ServiceFunction,
  identity: 'verify' | 'manage',
  props: FunctionWiringProps,
  missing: (what: string) => Error,
): void {
  const provider = props.config.identityProvider;
  fn.addEnvironment(ENV.IDENTITY_PROVIDER, provider);
  if (provider === 'local') {
    fn.addEnvironment(ENV.TOKEN_ISSUER, `showrunner-${props.config.target}`);
    return;
  }
  const userPool = props.userPool;
  if (!userPool) throw missing('the identity provider (a Cognito user pool)');
  fn.addEnvironment(ENV.USER_POOL_ID, userPool.pool.userPoolId);
  fn.addEnvironment(ENV.USER_POOL_CLIENT_ID, userPool.client.userPoolClientId);
  if (identity === 'manage') {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminSetUserPassword'],
        resources: [userPool.pool.userPoolArn],
      }),
    );
  }
}

/** One edge need on CloudFront: where to find the value (SSM, Secrets Manager) and the right to read it. */
function wireCloudFrontEdge(
  fn: ServiceFunction,
  need: EdgeNeed,
  edge: CloudFrontEdgeWiring,
  missing: (what: string) => Error,
): void {
  const stack = Stack.of(fn);
  const readParameter = (name: string) =>
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1) })],
      }),
    );
  const readSecret = () => {
    fn.addEnvironment(ENV.EDGE_KEY_SECRET_ARN, edge.signingKey.secretArn);
    // GetSecretValue only (grantRead adds DescribeSecret, which no function calls).
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [edge.signingKey.secretArn],
      }),
    );
  };
  switch (need) {
    case 'pathways':
      fn.addEnvironment(ENV.EDGE_PATHWAYS_PARAMETER, edge.parameterNames.pathways);
      readParameter(edge.parameterNames.pathways);
      return;
    case 'keys':
      readSecret();
      return;
    case 'revocations':
      fn.addEnvironment(ENV.EDGE_KVS_ARN_PARAMETER, edge.parameterNames.keyValueStoreArn);
      readParameter(edge.parameterNames.keyValueStoreArn);
      if (!edge.onRevocationWriter) throw missing('revocations (a stack that grants the KeyValueStore)');
      edge.onRevocationWriter(fn.serviceRole);
      return;
    case 'provision': {
      const storeArn = edge.keyValueStoreArn;
      if (!storeArn || !edge.keyValueStoreActions) throw missing('provision (the KeyValueStore itself)');
      fn.addEnvironment(ENV.EDGE_KVS_ARN, storeArn);
      readSecret();
      fn.addToRolePolicy(
        new PolicyStatement({ actions: [...edge.keyValueStoreActions], resources: [storeArn] }),
      );
      return;
    }
  }
}
