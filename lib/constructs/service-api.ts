import { Duration, Validations } from 'aws-cdk-lib';
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
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionId } from '../../lambdas/contracts/functions.ts';
import { GATEWAY_ERRORS, pathParameterNames, type RouteDeclaration } from '../../lambdas/contracts/routes.ts';

export interface ServiceApiProps {
  /** `<name>-api`. */
  readonly name: string;
  /** The routes to serve (`lambdas/contracts/routes.ts`, those the target can serve). */
  readonly routes: readonly RouteDeclaration[];
  /** The function behind each route, by id. */
  readonly functions: ReadonlyMap<FunctionId, IFunction>;
  /** The TOKEN authorizer's function. */
  readonly authorizer: IFunction;
  /** Requests per second across the stage. @default 200 (burst 400) */
  readonly throttlingRateLimit?: number;
}

/**
 * The REST API (API Gateway v1: LocalStack's free tier has no HTTP API): one method per declared
 * route, the TOKEN authorizer on every route but the public ones, API Gateway's own refusals in
 * the house error shape, access logs, tracing and throttling on the stage.
 */
export class ServiceApi extends Construct {
  public readonly restApi: RestApi;

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);
    const rate = props.throttlingRateLimit ?? 200;
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    const api = new RestApi(this, 'RestApi', {
      restApiName: props.name,
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
        throttlingRateLimit: rate,
        throttlingBurstLimit: rate * 2,
      },
    });
    const validator = new RequestValidator(this, 'RequestValidator', {
      restApi: api,
      validateRequestParameters: true,
      // Bodies are validated by the handlers' declared zod schemas (no API Gateway models are
      // attached, so this checks nothing more); the validator's job is required path parameters.
      validateRequestBody: true,
    });
    const authorizer = new TokenAuthorizer(this, 'TokenAuthorizer', {
      handler: props.authorizer,
      identitySource: 'method.request.header.Authorization',
      // API Gateway caches the policy per token; it covers every route (see the authorizer).
      resultsCacheTtl: Duration.minutes(5),
    });
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

    for (const route of props.routes) {
      const handler = props.functions.get(route.function);
      if (!handler) throw new Error(`Route ${route.method} ${route.path} names a function this API lacks`);
      const method = api.root
        .resourceForPath(route.path)
        .addMethod(route.method, new LambdaIntegration(handler), {
          ...(route.auth === 'none'
            ? { authorizationType: AuthorizationType.NONE }
            : { authorizationType: AuthorizationType.CUSTOM, authorizer }),
          requestValidator: validator,
          requestParameters: Object.fromEntries(
            pathParameterNames(route.path).map((p) => [`method.request.path.${p}`, true]),
          ),
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
    this.restApi = api;
  }
}
