import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { FUNCTION_METADATA, FUNCTIONS, type FunctionId } from '../../lambdas/contracts/functions.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Context key: `true` has esbuild write its metafile (`index.meta.json`, every input of the
 * bundle) next to each bundle. The infra test of bundle inputs and `bench:lambda` set it.
 */
export const BUNDLE_METAFILE_CONTEXT = 'showrunner:bundle-metafile';

/** What a function with `awsSdk: 'bundled'` carries in its bundle (with the SDK core they share). */
export const BUNDLED_SDK_CLIENTS = ['@aws-sdk/client-cloudfront-keyvaluestore', '@aws-sdk/signature-v4a'];

/**
 * Left to the Lambda runtime even by functions that bundle the KeyValueStore client: the other
 * SDK clients the project uses (they need not share its core), and the credential providers the
 * default chain imports only when the environment has no credentials, which on Lambda it always
 * has (`@aws-sdk/credential-provider-node` loads them with `import()`).
 */
const RUNTIME_SDK_PACKAGES = [
  ...Object.keys(
    (JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { dependencies: Record<string, string> })
      .dependencies,
  ).filter((name) => /^@aws-sdk\/(client|lib)-/.test(name) && !BUNDLED_SDK_CLIENTS.includes(name)),
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/nested-clients',
  '@aws-sdk/token-providers',
];

export interface ServiceFunctionProps {
  /** Which declared function this is (`lambdas/contracts/functions.ts`). */
  readonly functionId: FunctionId;
  /** Days to keep the function's logs. @default 30 */
  readonly logRetentionDays?: 7 | 30 | 90 | 365;
}

const RETENTION: Record<NonNullable<ServiceFunctionProps['logRetentionDays']>, RetentionDays> = {
  7: RetentionDays.ONE_WEEK,
  30: RetentionDays.ONE_MONTH,
  90: RetentionDays.THREE_MONTHS,
  365: RetentionDays.ONE_YEAR,
};

/**
 * The house Lambda: Node.js 24 on arm64, ESM bundle with source maps, X-Ray, its own log group
 * with retention (an explicit LogGroup, not `logRetention`, which needs a custom resource that
 * LocalStack's free tier cannot run), and a dead-letter queue for asynchronously invoked ones.
 * Tagged with its function id so the local platform can find it in the template.
 */
export class ServiceFunction extends NodejsFunction {
  /** Which declared function this is. */
  public readonly functionId: FunctionId;
  /** Dead-letter queue of an asynchronously invoked function. */
  public readonly deadLetterQueueFor: Queue | undefined;
  /** The function's own execution role. */
  public readonly serviceRole: Role;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    const declaration = FUNCTIONS[props.functionId];
    const memorySize = 'memorySize' in declaration ? declaration.memorySize : 512;
    const timeoutSec = 'timeoutSec' in declaration ? declaration.timeoutSec : 10;
    const isAsync = 'async' in declaration && declaration.async;
    const bundlesAwsSdk = 'awsSdk' in declaration && declaration.awsSdk === 'bundled';
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RETENTION[props.logRetentionDays ?? 30],
    });
    const deadLetterQueue = isAsync
      ? new Queue(scope, `${id}DeadLetters`, {
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        })
      : undefined;
    const assetFiles = 'assetFiles' in declaration ? declaration.assetFiles : [];
    // Context `showrunner:bundle-metafile`: esbuild's metafile next to the bundle (infra test, bench:lambda).
    const metafile = scope.node.tryGetContext(BUNDLE_METAFILE_CONTEXT) === true;
    // Own role with an inline grant to its own log group: the AWS managed
    // AWSLambdaBasicExecutionRole would let it write to every log group in the account.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: declaration.description,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: `${REPO_ROOT}${declaration.entry}`,
      handler: 'handler',
      description: declaration.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize,
      timeout: Duration.seconds(timeoutSec),
      tracing: Tracing.ACTIVE,
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.functionId,
      },
      ...(deadLetterQueue ? { deadLetterQueue, retryAttempts: 2 } : {}),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        sourceMap: true,
        minify: true,
        metafile,
        mainFields: ['module', 'main'],
        // ESM bundles still meet CommonJS dependencies that call require().
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        // The runtime's SDK; `awsSdk: 'bundled'` puts the KeyValueStore client and its signer in.
        externalModules: bundlesAwsSdk ? RUNTIME_SDK_PACKAGES : ['@aws-sdk/*'],
        ...(assetFiles.length > 0
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  assetFiles.map((file) => `cp "${inputDir}/${file}" "${outputDir}/"`),
              },
            }
          : {}),
      },
    });
    this.functionId = props.functionId;
    this.deadLetterQueueFor = deadLetterQueue;
    this.serviceRole = role;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
    });
    const cfn = this.node.defaultChild as CfnFunction;
    cfn.addMetadata(FUNCTION_METADATA.ID, props.functionId);
    cfn.addMetadata(FUNCTION_METADATA.ENTRY, declaration.entry);
    cfn.addMetadata(FUNCTION_METADATA.HANDLER, 'handler');
  }
}
