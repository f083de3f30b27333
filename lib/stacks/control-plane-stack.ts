import { Stack, type StackProps } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  FUNCTIONS,
  type FunctionDeclaration,
  type FunctionId,
  stackOf,
} from '../../lambdas/contracts/functions.ts';
import { ROUTES, type RouteDeclaration } from '../../lambdas/contracts/routes.ts';
import type { BucketId } from '../../lambdas/contracts/storage.ts';
import type { TableId } from '../../lambdas/contracts/tables.ts';
import type { TargetConfig } from '../config.ts';
import { EdgeSigningKey } from '../constructs/edge-signing-key.ts';
import { RecommendationsWorkflow } from '../constructs/recommendations-workflow.ts';
import { ServiceApi } from '../constructs/service-api.ts';
import type { ServiceFunction } from '../constructs/service-function.ts';
import { ServiceFunctions } from '../constructs/service-functions.ts';
import { StreamTriggers } from '../constructs/stream-triggers.ts';
import { Triggers } from '../constructs/triggers.ts';
import { UserDirectory } from '../constructs/user-directory.ts';
import { edgeParameterNames } from './edge-stack.ts';

export interface ControlPlaneStackProps extends StackProps {
  readonly config: TargetConfig;
  /** The buckets (data stack): uploads land in `ingest`, playback reads playlists from `media`. */
  readonly buckets: Readonly<Record<BucketId, IBucket>>;
  /** Every table (data stack), by id. */
  readonly tables: Readonly<Record<TableId, ITable>>;
}

/**
 * The REST API and the services behind it. Which functions exist follows from the declarations
 * (`lambdas/contracts/functions.ts`: those of the control plane the target can run) and the
 * routes (`lambdas/contracts/routes.ts`); each function's environment and grants from its needs
 * (`ServiceFunctions`, one wiring path); schedules and event rules from its trigger; event source
 * mappings from the table streams it declares.
 */
export class ControlPlaneStack extends Stack {
  public readonly api: RestApi;
  /** Every control-plane function, by function id. */
  public readonly functions: ReadonlyMap<FunctionId, ServiceFunction>;
  /** The Cognito user pool (identity provider `cognito` only). */
  public readonly userDirectory: UserDirectory | undefined;
  /**
   * The edge token signing keys (delivery edge `cloudfront` only), JSON `{ kid, secret, previous? }`:
   * functions with the edge need `keys` sign with it, and the edge stack copies it into its store.
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
    const { config } = props;
    const routes = routesFor(config);

    this.userDirectory =
      config.identityProvider === 'cognito' ? new UserDirectory(this, 'Identity') : undefined;
    this.edgeSigningKey =
      config.deliveryEdge === 'cloudfront'
        ? new EdgeSigningKey(this, 'EdgeSigningKey', { retain: config.retainData }).secret
        : undefined;
    const revocationRoles: IRole[] = [];
    const services = new ServiceFunctions(this, 'Functions', {
      config,
      functionIds: controlPlaneFunctions(config, routes),
      tables: props.tables,
      buckets: props.buckets,
      ...(this.userDirectory ? { userPool: this.userDirectory } : {}),
      ...(this.edgeSigningKey
        ? {
            cloudFrontEdge: {
              signingKey: this.edgeSigningKey,
              parameterNames: edgeParameterNames(config),
              onRevocationWriter: (role: IRole) => revocationRoles.push(role),
            },
          }
        : {}),
    });
    this.functions = services.functions;
    this.edgeRevocationRoles = revocationRoles;
    new Triggers(this, 'Triggers', { functions: services.functions });
    new StreamTriggers(this, 'StreamTriggers', { functions: services.functions, tables: props.tables });
    new RecommendationsWorkflow(this, 'RecommendationsWorkflow', {
      indexCatalog: services.get('indexCatalog'),
      recommendShard: services.get('recommendShard'),
    });
    this.api = new ServiceApi(this, 'Api', {
      name: `${config.stackPrefix}-api`,
      routes,
      functions: services.functions,
      authorizer: services.get('authorizer'),
    }).restApi;
  }
}

/** The declared routes this target can serve (see `RouteDeclaration.requires`). */
export function routesFor(config: TargetConfig): readonly RouteDeclaration[] {
  return ROUTES.filter((r) => r.requires !== 'edge' || config.deliveryEdge !== 'none');
}

/**
 * The control plane's functions on this target: those its routes name, and the unrouted ones
 * (internal calls, schedules, events) whose needs the target meets (edge needs need an edge).
 */
export function controlPlaneFunctions(
  config: TargetConfig,
  routes: readonly RouteDeclaration[] = routesFor(config),
): FunctionId[] {
  const routed = new Set<FunctionId>(ROUTES.map((r) => r.function));
  const served = new Set<FunctionId>(routes.map((r) => r.function));
  return (Object.keys(FUNCTIONS) as FunctionId[]).filter((id) => {
    const declaration: FunctionDeclaration = FUNCTIONS[id];
    if (stackOf(declaration) !== 'controlPlane') return false;
    if (routed.has(id)) return served.has(id);
    return (declaration.edge ?? []).length === 0 || config.deliveryEdge !== 'none';
  });
}
