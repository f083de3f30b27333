import { Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestValidator,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ENV } from '../../lambdas/contracts/env.ts';
import type { FunctionId } from '../../lambdas/contracts/functions.ts';
import { ROUTES } from '../../lambdas/contracts/routes.ts';
import { SIDECAR_PREFIX, SOURCE_PREFIX } from '../../lambdas/contracts/storage.ts';
import type { TargetConfig } from '../config.ts';
import { allowItems, allowObjects } from '../constructs/grants.ts';
import { ServiceFunction } from '../constructs/service-function.ts';

export interface ControlPlaneStackProps extends StackProps {
  readonly config: TargetConfig;
  readonly ingestBucket: IBucket;
  readonly jobsTable: ITable;
}

/**
 * The REST API (API Gateway v1: LocalStack's free tier has no HTTP API), built from the route
 * declaration in `lambdas/contracts/routes.ts`: one function per declared function id.
 */
export class ControlPlaneStack extends Stack {
  public readonly api: RestApi;
  /** Functions behind the routes, by function id. */
  public readonly functions: ReadonlyMap<FunctionId, ServiceFunction>;

  constructor(scope: Construct, id: string, props: ControlPlaneStackProps) {
    super(scope, id, props);
    const { config, ingestBucket, jobsTable } = props;

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.api = new RestApi(this, 'Api', {
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
      restApi: this.api,
      validateRequestParameters: true,
      // Bodies are validated by the handlers' zod schemas; this validator checks path parameters.
      validateRequestBody: true,
    });

    const mediaBaseUrl = config.mediaBaseUrl ?? '';
    const environment: Partial<Record<FunctionId, Record<string, string>>> = {
      health: { [ENV.TARGET]: config.target },
      getJob: { [ENV.JOBS_TABLE]: jobsTable.tableName, [ENV.MEDIA_BASE_URL]: mediaBaseUrl },
      createUpload: {
        [ENV.JOBS_TABLE]: jobsTable.tableName,
        [ENV.INGEST_BUCKET]: ingestBucket.bucketName,
        [ENV.MAX_SOURCE_BYTES]: String(config.maxSourceBytes),
      },
      completeUpload: { [ENV.JOBS_TABLE]: jobsTable.tableName, [ENV.INGEST_BUCKET]: ingestBucket.bucketName },
    };

    const functions = new Map<FunctionId, ServiceFunction>();
    const functionFor = (functionId: FunctionId): ServiceFunction => {
      const existing = functions.get(functionId);
      if (existing) return existing;
      const fn = new ServiceFunction(this, pascal(functionId), {
        functionId,
        environment: environment[functionId] ?? {},
        logRetentionDays: config.logRetentionDays,
      });
      functions.set(functionId, fn);
      return fn;
    };

    for (const route of ROUTES) {
      const resource = this.api.root.resourceForPath(route.path);
      const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
      const method = resource.addMethod(route.method, new LambdaIntegration(functionFor(route.function)), {
        // Operators sign admin calls with their IAM credentials until the identity service
        // (Cognito user pool + admin group) replaces this with a JWT authorizer.
        authorizationType: route.auth === 'admin' ? AuthorizationType.IAM : AuthorizationType.NONE,
        requestValidator: validator,
        requestParameters: Object.fromEntries(pathParameters.map((p) => [`method.request.path.${p}`, true])),
      });
      if (route.auth === 'none') {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions::AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (liveness, no data).`,
        });
      }
    }
    this.functions = functions;

    const getJob = functions.get('getJob');
    if (getJob) allowItems(getJob, jobsTable, ['dynamodb:GetItem']);
    const createUpload = functions.get('createUpload');
    if (createUpload) {
      allowItems(createUpload, jobsTable, ['dynamodb:PutItem']);
      // Presigned URLs carry the signer's rights: PUT into the two upload prefixes, nothing else.
      const why = 'presigns uploads to keys of new jobs, which do not exist yet';
      allowObjects(createUpload, ingestBucket, SOURCE_PREFIX, ['s3:PutObject'], why);
      allowObjects(createUpload, ingestBucket, SIDECAR_PREFIX, ['s3:PutObject'], why);
    }
    const completeUpload = functions.get('completeUpload');
    if (completeUpload) {
      allowItems(completeUpload, jobsTable, ['dynamodb:GetItem']);
      allowObjects(
        completeUpload,
        ingestBucket,
        SOURCE_PREFIX,
        ['s3:PutObject'],
        'completes the multipart upload of a job source',
      );
    }

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG3',
      reason:
        'No WAF in front of the regional API yet: the edge stack puts CloudFront (with its own WAF option) before it.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG4',
      reason:
        'Admin routes use IAM authorization and /v1/health is public by design; Cognito arrives with the identity service.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "API Gateway's account-level CloudWatch role: AWS documents this managed policy as the one to attach.",
    });
  }
}

function pascal(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}
