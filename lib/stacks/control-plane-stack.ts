import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestValidator,
  ResponseType,
  RestApi,
  TokenAuthorizer,
} from 'aws-cdk-lib/aws-apigateway';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  UserPool,
  UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ADMIN_GROUP } from '../../lambdas/contracts/api/identity.ts';
import {
  EDGE_GENERATED_SECRET_LENGTH,
  EDGE_INITIAL_KEY_ID,
} from '../../lambdas/contracts/edge-signing-secret.ts';
import { ENV, type EnvName, functionEnv, tableEnv } from '../../lambdas/contracts/env.ts';
import {
  type EdgeNeed,
  FUNCTIONS,
  type FunctionDeclaration,
  type FunctionId,
} from '../../lambdas/contracts/functions.ts';
import { EVENTS } from '../../lambdas/contracts/internal.ts';
import { GATEWAY_ERRORS, ROUTES, type RouteDeclaration } from '../../lambdas/contracts/routes.ts';
import { MEDIA_PREFIX, SIDECAR_PREFIX, SOURCE_PREFIX } from '../../lambdas/contracts/storage.ts';
import { TABLES, type TableId } from '../../lambdas/contracts/tables.ts';
import type { TargetConfig } from '../config.ts';
import { allowItems, allowObjects, allowTable } from '../constructs/grants.ts';
import { ServiceFunction } from '../constructs/service-function.ts';
import { edgeParameterNames } from './edge-stack.ts';

export interface ControlPlaneStackProps extends StackProps {
  readonly config: TargetConfig;
  readonly ingestBucket: IBucket;
  /** The media (origin) bucket: playback reads the asset's master playlist from it. */
  readonly mediaBucket: IBucket;
  readonly jobsTable: ITable;
  /** The services' tables (data stack). */
  readonly tables: Readonly<Record<TableId, ITable>>;
}

/** Functions of the control plane that no route names: internal calls, events, schedules. */
const UNROUTED_FUNCTIONS = [
  'authorizer',
  'profilesInternal',
  'subscriptionsInternal',
  'catalogInternal',
  'historyInternal',
  'attachAsset',
  'renewSubscriptions',
] as const satisfies readonly FunctionId[];

/** Unrouted functions that only targets with a delivery edge have (schedules of the edge's upkeep). */
const EDGE_UNROUTED_FUNCTIONS = [
  'prepositionSchedule',
  'sweepRevocations',
] as const satisfies readonly FunctionId[];

/** The variables the embedded platform fills in per edge need (local/platform.ts). */
const LOCAL_EDGE_ENV: Record<EdgeNeed, readonly EnvName[]> = {
  pathways: [ENV.EDGE_PATHWAYS],
  keys: [ENV.EDGE_KEY_ID, ENV.EDGE_KEY_SECRET],
  revocations: [ENV.LOCAL_EDGE_KVS_FILE],
};

/** Prepositioning runs daily at this UTC time: off-peak for the Americas and Europe (docs/prepositioning.md). */
export const PREPOSITION_SCHEDULE = { minute: '0', hour: '4' } as const;

const IDENTITY_FUNCTIONS: readonly FunctionId[] = [
  'signup',
  'login',
  'refreshToken',
  'getMe',
  'jwks',
  'authorizer',
];

/**
 * The REST API (API Gateway v1: LocalStack's free tier has no HTTP API) and the services behind
 * it. Routes come from `lambdas/contracts/routes.ts`; each function's tables, environment and
 * grants from its declaration in `lambdas/contracts/functions.ts`.
 */
export class ControlPlaneStack extends Stack {
  public readonly api: RestApi;
  /** Every control-plane function, by function id. */
  public readonly functions: ReadonlyMap<FunctionId, ServiceFunction>;
  /** The Cognito user pool (identity provider `cognito` only). */
  public readonly userPool: UserPool | undefined;
  /**
   * The edge token signing keys (delivery edge `cloudfront` only), JSON `{ kid, secret, previous? }`
   * (`lambdas/contracts/edge-signing-secret.ts`): functions with the edge need `keys` sign with
   * it, and the edge stack copies it into its KeyValueStore.
   */
  public readonly edgeSigningKey: ISecret | undefined;
  /**
   * Roles of the functions with the edge need `revocations` (delivery edge `cloudfront`): the edge
   * stack grants them its KeyValueStore, whose ARN this stack cannot name (the edge stack depends
   * on this one).
   */
  public readonly edgeRevocationRoles: readonly IRole[];

  constructor(scope: Construct, id: string, props: ControlPlaneStackProps) {
    super(scope, id, props);
    const { config, ingestBucket, mediaBucket, jobsTable, tables } = props;
    const routes = routesFor(config);

    // 1. Functions: every routed one and the unrouted ones, built from their declarations.
    const hasEdge = config.deliveryEdge !== 'none';
    const functionIds = [
      ...new Set<FunctionId>([
        ...routes.map((r) => r.function),
        ...UNROUTED_FUNCTIONS,
        ...(hasEdge ? EDGE_UNROUTED_FUNCTIONS : []),
      ]),
    ];
    const functions = new Map<FunctionId, ServiceFunction>();
    for (const functionId of functionIds) {
      functions.set(
        functionId,
        new ServiceFunction(this, pascal(functionId), {
          functionId,
          environment: {},
          logRetentionDays: config.logRetentionDays,
        }),
      );
    }
    this.functions = functions;
    const fn = (functionId: FunctionId): ServiceFunction => {
      const found = functions.get(functionId);
      if (!found) throw new Error(`No control-plane function ${functionId}`);
      return found;
    };

    // 2. Declared needs → environment and least-privilege grants.
    for (const [functionId, service] of functions) {
      const declaration: FunctionDeclaration = FUNCTIONS[functionId];
      for (const [tableId, access] of Object.entries(declaration.tables ?? {}) as [
        TableId,
        'read' | 'write',
      ][]) {
        const table = tables[tableId];
        service.addEnvironment(tableEnv(tableId), table.tableName);
        allowTable(
          service,
          table,
          access,
          TABLES[tableId].indexes.map((i) => i.name),
        );
      }
      for (const target of (declaration.invokes ?? []) as FunctionId[]) {
        const callee = fn(target);
        service.addEnvironment(functionEnv(target), callee.functionName);
        // Exactly the function, not `<arn>:*` (versions and aliases) as grantInvoke would.
        service.addToRolePolicy(
          new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [callee.functionArn] }),
        );
      }
    }
    fn('health').addEnvironment(ENV.TARGET, config.target);
    for (const sub of [
      'renewSubscriptions',
      'subscriptionsInternal',
      'getSubscription',
      'putSubscription',
    ] as const) {
      fn(sub).addEnvironment(ENV.GRACE_PERIOD_DAYS, String(config.gracePeriodDays));
    }

    // 3. Identity: Cognito on AWS; elsewhere the local identity provider (same port).
    this.userPool = config.identityProvider === 'cognito' ? this.cognito(functions) : undefined;
    for (const identityFn of IDENTITY_FUNCTIONS) {
      fn(identityFn).addEnvironment(ENV.IDENTITY_PROVIDER, config.identityProvider);
      if (config.identityProvider === 'local') {
        fn(identityFn).addEnvironment(ENV.TOKEN_ISSUER, `showrunner-${config.target}`);
      }
    }

    // 4. The media pipeline's routes: jobs table and ingest uploads.
    const mediaBaseUrl = config.mediaBaseUrl ?? '';
    fn('getJob').addEnvironment(ENV.JOBS_TABLE, jobsTable.tableName);
    fn('getJob').addEnvironment(ENV.MEDIA_BASE_URL, mediaBaseUrl);
    allowItems(fn('getJob'), jobsTable, ['dynamodb:GetItem']);
    fn('listTitleJobs').addEnvironment(ENV.JOBS_TABLE, jobsTable.tableName);
    fn('listTitleJobs').addEnvironment(ENV.MEDIA_BASE_URL, mediaBaseUrl);
    fn('listTitleJobs').addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${jobsTable.tableArn}/index/byTitle`],
      }),
    );
    const createUpload = fn('createUpload');
    createUpload.addEnvironment(ENV.JOBS_TABLE, jobsTable.tableName);
    createUpload.addEnvironment(ENV.INGEST_BUCKET, ingestBucket.bucketName);
    createUpload.addEnvironment(ENV.MAX_SOURCE_BYTES, String(config.maxSourceBytes));
    allowItems(createUpload, jobsTable, ['dynamodb:PutItem']);
    // Presigned URLs carry the signer's rights: PUT into the two upload prefixes, nothing else.
    const why = 'presigns uploads to keys of new jobs, which do not exist yet';
    allowObjects(createUpload, ingestBucket, SOURCE_PREFIX, ['s3:PutObject'], why);
    allowObjects(createUpload, ingestBucket, SIDECAR_PREFIX, ['s3:PutObject'], why);
    const completeUpload = fn('completeUpload');
    completeUpload.addEnvironment(ENV.JOBS_TABLE, jobsTable.tableName);
    completeUpload.addEnvironment(ENV.INGEST_BUCKET, ingestBucket.bucketName);
    allowItems(completeUpload, jobsTable, ['dynamodb:GetItem']);
    allowObjects(
      completeUpload,
      ingestBucket,
      SOURCE_PREFIX,
      ['s3:PutObject'],
      'completes the multipart upload of a job source',
    );

    // 5. Published media and the delivery edge, as each declaration names them (`media`, `edge`),
    // wired for the target's edge (docs/edge.md).
    this.edgeSigningKey =
      config.deliveryEdge === 'cloudfront' ? this.edgeSigningKeySecret(config) : undefined;
    const revocationRoles: IRole[] = [];
    for (const [functionId, service] of functions) {
      const declaration: FunctionDeclaration = FUNCTIONS[functionId];
      if (declaration.media === 'read') {
        service.addEnvironment(ENV.MEDIA_BUCKET, mediaBucket.bucketName);
        allowObjects(
          service,
          mediaBucket,
          MEDIA_PREFIX,
          ['s3:GetObject'],
          'reads the published playlists of the assets it serves',
        );
      }
      const needs = declaration.edge ?? [];
      if (needs.length === 0) continue;
      if (config.deliveryEdge === 'none') {
        throw new Error(
          `${functionId} declares edge needs (${needs.join(', ')}), but target ${config.target} has no delivery edge: leave it out there (a route with requires: 'edge', or EDGE_UNROUTED_FUNCTIONS).`,
        );
      }
      if (needs.includes('revocations') && declaration.awsSdk !== 'bundled') {
        throw new Error(
          `${functionId} writes revocations to the edge KeyValueStore, whose SigV4A signer needs the SDK in its bundle: declare awsSdk: 'bundled'.`,
        );
      }
      for (const need of needs) {
        if (config.deliveryEdge === 'local') {
          // The embedded platform overwrites these with its edges' values when it starts.
          for (const name of LOCAL_EDGE_ENV[need]) {
            service.addEnvironment(name, '(set by the embedded platform at start)');
          }
        } else {
          this.wireCloudFrontEdge(config, service, need, revocationRoles);
        }
      }
    }
    this.edgeRevocationRoles = revocationRoles;

    // 6. Events and schedules.
    new Rule(this, 'AssetPublishedRule', {
      description: 'Published assets → catalog (attach to the title)',
      eventPattern: {
        source: [EVENTS.ASSET_PUBLISHED.source],
        detailType: [EVENTS.ASSET_PUBLISHED.detailType],
      },
      targets: [new LambdaFunction(fn('attachAsset'), { retryAttempts: 4 })],
    });
    new Rule(this, 'RenewalSchedule', {
      description: 'Daily, off-peak: charge due subscriptions',
      schedule: Schedule.cron({ minute: '0', hour: '4' }),
      targets: [new LambdaFunction(fn('renewSubscriptions'), { retryAttempts: 2 })],
    });
    if (hasEdge) {
      new Rule(this, 'RevocationSweepSchedule', {
        description:
          'Hourly: delete edge revocations whose tokens have expired (the KeyValueStore holds 5 MB)',
        schedule: Schedule.rate(Duration.hours(1)),
        targets: [new LambdaFunction(fn('sweepRevocations'), { retryAttempts: 2 })],
      });
      new Rule(this, 'DailyPrepositionRule', {
        description: 'Daily, off-peak: fill the edges with the opening of the most popular titles',
        schedule: Schedule.cron(PREPOSITION_SCHEDULE),
        targets: [new LambdaFunction(fn('prepositionSchedule'), { retryAttempts: 1 })],
      });
    }

    // 7. The API.
    this.api = this.restApi(config, routes, fn('authorizer'), functions);
  }

  private restApi(
    config: TargetConfig,
    routes: readonly RouteDeclaration[],
    authorizerFn: ServiceFunction,
    functions: Map<FunctionId, ServiceFunction>,
  ) {
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
    const api = new RestApi(this, 'Api', {
      restApiName: `${config.stackPrefix}-api`,
      description: 'Showrunner control plane',
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: true,
      deployOptions: {
        stageName: 'prod',
        tracingEnabled: true,
        loggingLevel: MethodLoggingLevel.INFO,
        dataTraceEnabled: false,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        throttlingRateLimit: 200,
        throttlingBurstLimit: 400,
      },
    });
    const validator = new RequestValidator(this, 'RequestValidator', {
      restApi: api,
      validateRequestParameters: true,
      // Bodies are validated by the handlers' zod schemas (no API Gateway models are attached, so
      // this checks nothing more); the validator's job is required path parameters.
      validateRequestBody: true,
    });
    const authorizer = new TokenAuthorizer(this, 'TokenAuthorizer', {
      handler: authorizerFn,
      identitySource: 'method.request.header.Authorization',
      // API Gateway caches the policy per token; it covers every route (see the authorizer).
      resultsCacheTtl: Duration.minutes(5),
    });
    // Errors API Gateway answers itself, in the house shape.
    const gatewayErrors = [
      [ResponseType.UNAUTHORIZED, GATEWAY_ERRORS.UNAUTHORIZED],
      [ResponseType.ACCESS_DENIED, GATEWAY_ERRORS.ACCESS_DENIED],
      [ResponseType.MISSING_AUTHENTICATION_TOKEN, GATEWAY_ERRORS.ROUTE_NOT_FOUND],
      [ResponseType.THROTTLED, GATEWAY_ERRORS.THROTTLED],
    ] as const;
    for (const [type, error] of gatewayErrors) {
      api.addGatewayResponse(`Gateway${error.code}`, {
        type,
        statusCode: String(error.status),
        templates: {
          'application/json': JSON.stringify({ error: { code: error.code, message: error.message } }),
        },
      });
    }

    for (const route of routes) {
      const resource = api.root.resourceForPath(route.path);
      const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
      const handler = functions.get(route.function);
      if (!handler) throw new Error(`Route ${route.method} ${route.path} names an unknown function`);
      const method = resource.addMethod(route.method, new LambdaIntegration(handler), {
        ...(route.auth === 'none'
          ? { authorizationType: AuthorizationType.NONE }
          : { authorizationType: AuthorizationType.CUSTOM, authorizer }),
        requestValidator: validator,
        requestParameters: Object.fromEntries(pathParameters.map((p) => [`method.request.path.${p}`, true])),
      });
      if (route.auth === 'none') {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions::AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (${route.summary}).`,
        });
      }
      Validations.of(method).acknowledge({
        id: 'AwsSolutions::AwsSolutions-COG4',
        reason:
          'Routes use a Lambda TOKEN authorizer, which verifies Cognito tokens on AWS and the local identity provider elsewhere with one code path.',
      });
    }

    Validations.of(api).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG3',
      reason:
        'No WAF in front of the regional API yet: the edge stack puts CloudFront (with its own WAF option) before it.',
    });
    Validations.of(api).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "API Gateway's account-level CloudWatch role: AWS documents this managed policy as the one to attach.",
    });
    return api;
  }

  /**
   * One edge need on AWS. Nothing here names an edge-stack resource: that stack depends on this
   * one (it fronts the API), so it publishes what playback needs in SSM parameters whose names
   * are known in advance (`edgeParameterNames`), and grants the KeyValueStore itself.
   */
  private wireCloudFrontEdge(
    config: TargetConfig,
    service: ServiceFunction,
    need: EdgeNeed,
    revocationRoles: IRole[],
  ): void {
    const names = edgeParameterNames(config);
    const readParameter = (name: string) =>
      service.addToRolePolicy(
        new PolicyStatement({
          actions: ['ssm:GetParameter'],
          resources: [this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1) })],
        }),
      );
    switch (need) {
      case 'pathways':
        service.addEnvironment(ENV.EDGE_PATHWAYS_PARAMETER, names.pathways);
        readParameter(names.pathways);
        return;
      case 'keys': {
        const secret = this.edgeSigningKey;
        if (!secret) throw new Error('The signing key secret is made before the edge needs are wired.');
        service.addEnvironment(ENV.EDGE_KEY_SECRET_ARN, secret.secretArn);
        // GetSecretValue only (grantRead adds DescribeSecret, which playback never calls).
        service.addToRolePolicy(
          new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
        );
        return;
      }
      case 'revocations':
        service.addEnvironment(ENV.EDGE_KVS_ARN_PARAMETER, names.keyValueStoreArn);
        readParameter(names.keyValueStoreArn);
        revocationRoles.push(service.serviceRole);
        return;
    }
  }

  /**
   * The signing keys, generated by Secrets Manager: `{ kid: "k1", secret }` with 44 letters and
   * digits, canonical base64 of 33 bytes (`lambdas/contracts/edge-signing-secret.ts`).
   */
  private edgeSigningKeySecret(config: TargetConfig): Secret {
    const secret = new Secret(this, 'EdgeSigningKey', {
      description:
        'Showrunner edge token signing keys, JSON {kid, secret (base64), previous?}: playback signs with it; the edge stack copies it into the edge KeyValueStore',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ kid: EDGE_INITIAL_KEY_ID }),
        generateStringKey: 'secret',
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: EDGE_GENERATED_SECRET_LENGTH,
      },
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'Rotated by a staged procedure (docs/edge.md): the new key id goes into the edge KeyValueStore (edge stack) before playback signs with it, and old keys stay until tokens signed with them expire (hours); scheduled rotation would need a rotation function driving both steps, not built yet.',
    });
    new CfnOutput(this, 'EdgeSigningKeyArn', {
      description: 'The edge token signing keys (rotation: docs/edge.md)',
      value: secret.secretArn,
    });
    return secret;
  }

  /** The user pool, its app client and the admin group; identity functions get their ids and rights. */
  private cognito(functions: Map<FunctionId, ServiceFunction>): UserPool {
    const pool = new UserPool(this, 'UserPool', {
      // Sign-up goes through POST /v1/auth/signup (AdminCreateUser), never Cognito's own endpoint.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      passwordPolicy: {
        minLength: 8,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
    });
    const client = new UserPoolClient(this, 'UserPoolClient', {
      userPool: pool,
      authFlows: { userPassword: true },
      accessTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.days(30),
      preventUserExistenceErrors: true,
      generateSecret: false,
    });
    new CfnUserPoolGroup(this, 'AdminGroup', {
      userPoolId: pool.userPoolId,
      groupName: ADMIN_GROUP,
      description: 'May call /v1/admin/*',
    });
    for (const id of IDENTITY_FUNCTIONS) {
      const identityFn = functions.get(id);
      if (!identityFn) continue;
      identityFn.addEnvironment(ENV.USER_POOL_ID, pool.userPoolId);
      identityFn.addEnvironment(ENV.USER_POOL_CLIENT_ID, client.userPoolClientId);
    }
    functions.get('signup')?.addToRolePolicy(
      new PolicyStatement({
        actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminSetUserPassword'],
        resources: [pool.userPoolArn],
      }),
    );
    Validations.of(pool).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG2',
      reason:
        'MFA is optional for viewers of a streaming service (like the services it models); deployments can require it for the admin group.',
    });
    Validations.of(pool).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG8',
      reason:
        'The Plus feature plan (threat protection) costs per active user; Essentials is the default, documented as an upgrade in docs/identity.md.',
    });
    Validations.of(pool).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG3',
      reason:
        'Threat protection needs the Plus feature plan (a per-user cost); the Essentials plan is the default, documented as an upgrade in docs/identity.md.',
    });
    return pool;
  }
}

/** The declared routes this target can serve (see `RouteDeclaration.requires`). */
export function routesFor(config: TargetConfig): readonly RouteDeclaration[] {
  return ROUTES.filter((r) => r.requires !== 'edge' || config.deliveryEdge !== 'none');
}

function pascal(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}
