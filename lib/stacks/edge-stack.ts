/**
 * The delivery edge on AWS (target `aws` only: LocalStack's free tier has no CloudFront, and the
 * embedded platform runs its own local edges). Two CloudFront distributions, one per content
 * steering pathway, share one edge-token function, its KeyValueStore, one Origin Access Control
 * and the cache / response-headers policies. The store gets the control plane's signing keys on
 * deploy (a custom resource), and the control plane's revocation writers get the store (a policy
 * on their roles, made here because the control plane cannot name it). See docs/edge.md.
 */
import { fileURLToPath } from 'node:url';
import {
  Annotations,
  Aws,
  CfnOutput,
  CustomResource,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import type { RestApiBase } from 'aws-cdk-lib/aws-apigateway';
import {
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  KeyValueStore,
  PriceClass,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  Signing,
} from 'aws-cdk-lib/aws-cloudfront';
import { Effect, type IRole, Policy, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { ARTWORK_PREFIX, MEDIA_PREFIX } from '../../lambdas/contracts/storage.ts';
import type { TargetConfig } from '../config.ts';
import { DeliveryDistribution, PLAYLIST_TTL, SEGMENT_TTL } from '../constructs/delivery-distribution.ts';
import type { ServiceFunction } from '../constructs/service-function.ts';
import { ServiceFunctions } from '../constructs/service-functions.ts';

/** The content steering pathways, in default priority order. */
export const PATHWAY_IDS = ['edge-a', 'edge-b'] as const;

/** Where the edge stack publishes what playback needs at run time (read with ssm:GetParameter). */
export function edgeParameterNames(config: Pick<TargetConfig, 'stackPrefix'>) {
  const root = `/${config.stackPrefix.toLowerCase()}/edge`;
  return {
    /** JSON `[{ id, baseUrl }]`, the same as `EdgeStack.pathways`. */
    pathways: `${root}/pathways`,
    /** ARN of the KeyValueStore that holds `key:<kid>` and `revoked:<sessionId>`. */
    keyValueStoreArn: `${root}/key-value-store-arn`,
  } as const;
}

/**
 * Object keys the edge may read: `media/` (the function rewrites `/t/<token>/media/...` to
 * `/media/...`) and the public poster artwork under `artwork/`.
 */
const EDGE_READABLE_PREFIXES = [MEDIA_PREFIX, ARTWORK_PREFIX] as const;

/**
 * What writers of the KeyValueStore call: its ETag (DescribeKeyValueStore), the keys of a sweep
 * or a key sync (ListKeys), single writes (PutKey) and batched deletes (UpdateKeys).
 */
const KEY_VALUE_STORE_WRITE = [
  'cloudfront-keyvaluestore:DescribeKeyValueStore',
  'cloudfront-keyvaluestore:ListKeys',
  'cloudfront-keyvaluestore:PutKey',
  'cloudfront-keyvaluestore:UpdateKeys',
];

export interface EdgePathway {
  readonly id: string;
  /** `https://<distribution domain>`; a token path is appended: `${baseUrl}/t/<token>/media/...`. */
  readonly baseUrl: string;
}

export interface EdgeStackProps extends StackProps {
  readonly config: TargetConfig;
  /** The data stack's private media bucket. */
  readonly mediaBucket: IBucket;
  /** The control plane's REST API, served by every pathway at `/v1/*`. */
  readonly api: RestApiBase;
  /**
   * The control plane's signing keys (`ControlPlaneStack.edgeSigningKey`): copied into the
   * KeyValueStore on deploy, so the edges verify what playback signs.
   */
  readonly signingKeySecret: ISecret;
  /**
   * Roles of the control-plane functions that write revocations
   * (`ControlPlaneStack.edgeRevocationRoles`): granted the KeyValueStore here, by its exact ARN.
   */
  readonly revocationRoles: readonly IRole[];
}

export class EdgeStack extends Stack {
  /** One entry per distribution, for playback's manifests and steering (published in SSM, `edgeParameterNames`). */
  public readonly pathways: readonly EdgePathway[];
  public readonly distributions: readonly DeliveryDistribution[];
  /** `key:<kid>` → base64 HMAC secret; `revoked:<sessionId>` → refused session. */
  public readonly keyValueStore: KeyValueStore;
  public readonly verifyToken: CloudFrontFunction;
  /** Puts the signing keys into the KeyValueStore (`Custom::EdgeSigningKeys`, and rotations). */
  public readonly keyProvisioner: ServiceFunction;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.keyValueStore = new KeyValueStore(this, 'EdgeKeys', {
      comment: 'Showrunner edge token keys (key:<kid>) and revoked sessions (revoked:<sessionId>)',
    });
    this.verifyToken = new CloudFrontFunction(this, 'VerifyToken', {
      code: FunctionCode.fromFile({
        filePath: fileURLToPath(new URL('../../edge/verify-token.js', import.meta.url)),
      }),
      runtime: FunctionRuntime.JS_2_0,
      keyValueStore: this.keyValueStore,
      comment: 'Showrunner: verify the edge token in /t/<token>/media/..., then strip it',
      autoPublish: true,
    });
    this.grantRevocationWriters(props.revocationRoles);
    this.keyProvisioner = this.provisionSigningKeys(config, props.signingKeySecret);

    const mediaOrigin = this.mediaOrigin(props.mediaBucket);
    const originAccessControl = new S3OriginAccessControl(this, 'MediaOac', {
      description: 'Showrunner edges read the private media bucket (SigV4, always signed)',
      signing: Signing.SIGV4_ALWAYS,
    });

    const uriOnly = {
      queryStringBehavior: CacheQueryStringBehavior.none(),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      minTtl: Duration.seconds(0),
    };
    const playlistCache = new CachePolicy(this, 'PlaylistCache', {
      comment: 'HLS playlists: short, so a republished title shows up within seconds',
      ...uriOnly,
      defaultTtl: PLAYLIST_TTL.default,
      maxTtl: PLAYLIST_TTL.max,
      // Playlists are text: CloudFront compresses them (the normalized Accept-Encoding joins the key).
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const segmentCache = new CachePolicy(this, 'SegmentCache', {
      comment: 'Segments, captions, thumbnails: immutable (a new encode gets a new asset id)',
      ...uriOnly,
      defaultTtl: SEGMENT_TTL.default,
      maxTtl: SEGMENT_TTL.max,
    });

    const securityHeaders = {
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(365),
        includeSubdomains: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
    };
    const mediaHeaders = new ResponseHeadersPolicy(this, 'MediaHeaders', {
      comment: 'Showrunner media: security headers and CORS for browser players',
      securityHeadersBehavior: securityHeaders,
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD', 'OPTIONS'],
        accessControlAllowHeaders: ['*'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.days(1),
        originOverride: true,
      },
    });
    // The API answers its own CORS; the edge only adds the security headers.
    const apiHeaders = new ResponseHeadersPolicy(this, 'ApiHeaders', {
      comment: 'Showrunner API through the edge: security headers',
      securityHeadersBehavior: securityHeaders,
    });

    const logBucket = this.logBucket(config);

    this.distributions = PATHWAY_IDS.map(
      (pathwayId) =>
        new DeliveryDistribution(this, pathwayId === 'edge-a' ? 'EdgeA' : 'EdgeB', {
          pathwayId,
          mediaOrigin,
          originAccessControl,
          // Origin Shield in the region of the media bucket (the data stack's region).
          originShieldRegion: this.region,
          api: props.api,
          verifyToken: this.verifyToken,
          playlistCache,
          segmentCache,
          mediaHeaders,
          apiHeaders,
          logBucket,
          priceClass: PriceClass.PRICE_CLASS_ALL,
        }),
    );
    for (const edge of this.distributions) this.acknowledgeDistribution(edge);

    this.pathways = this.distributions.map((edge) => ({
      id: edge.pathwayId,
      baseUrl: `https://${edge.distribution.distributionDomainName}`,
    }));

    const names = edgeParameterNames(config);
    new StringParameter(this, 'PathwaysParameter', {
      parameterName: names.pathways,
      description: 'Showrunner delivery pathways, JSON [{id, baseUrl}], for playback',
      stringValue: Stack.of(this).toJsonString(this.pathways),
    });
    new StringParameter(this, 'KeyValueStoreParameter', {
      parameterName: names.keyValueStoreArn,
      description: 'Showrunner edge KeyValueStore ARN (signing keys and revocations)',
      stringValue: this.keyValueStore.keyValueStoreArn,
    });

    for (const edge of this.distributions) {
      new CfnOutput(this, `${edge.node.id}DomainName`, {
        description: `Domain name of delivery pathway ${edge.pathwayId}`,
        value: edge.distribution.distributionDomainName,
      });
    }
    new CfnOutput(this, 'KeyValueStoreArn', {
      description: 'Edge token keys and revocations',
      value: this.keyValueStore.keyValueStoreArn,
    });
    new CfnOutput(this, 'KeyProvisionerName', {
      description:
        'Invoke to copy the signing secret into the KeyValueStore again (key rotation, docs/edge.md)',
      value: this.keyProvisioner.functionName,
    });
  }

  /**
   * The control plane's revocation writers may write this store, and only this one. The policy
   * lives here and is attached to their roles: the control plane cannot name the store (this
   * stack depends on it), and a wildcard would reach every store of the account.
   */
  private grantRevocationWriters(roles: readonly IRole[]): void {
    if (roles.length === 0) return;
    new Policy(this, 'RevocationWriters', {
      statements: [
        new PolicyStatement({
          actions: KEY_VALUE_STORE_WRITE,
          resources: [this.keyValueStore.keyValueStoreArn],
        }),
      ],
      roles: [...roles],
    });
  }

  /**
   * `key:<kid>` for every key of the signing secret, put by a Lambda-backed custom resource on
   * each Create and Update (`lambdas/playback/handlers/provision-edge-keys.ts`), so the secret
   * is never in the template or an asset. The function answers CloudFormation itself (no
   * Provider framework: one function fewer, with its role and findings). Its properties are the
   * two ARNs: a new store or a new secret provisions again; rotations invoke it directly.
   */
  private provisionSigningKeys(config: TargetConfig, secret: ISecret): ServiceFunction {
    // Its environment and grants (the store, the secret) follow from its declaration: edge need `provision`.
    const provisioner = new ServiceFunctions(this, 'Functions', {
      config,
      functionIds: ['provisionEdgeKeys'],
      cloudFrontEdge: {
        signingKey: secret,
        parameterNames: edgeParameterNames(config),
        keyValueStoreArn: this.keyValueStore.keyValueStoreArn,
        keyValueStoreActions: KEY_VALUE_STORE_WRITE,
      },
    }).get('provisionEdgeKeys');
    new CustomResource(this, 'EdgeSigningKeys', {
      serviceToken: provisioner.functionArn,
      resourceType: 'Custom::EdgeSigningKeys',
      // A function that fails without answering holds the stack for this long, not an hour.
      serviceTimeout: Duration.minutes(5),
      properties: {
        KeyValueStoreArn: this.keyValueStore.keyValueStoreArn,
        SecretArn: secret.secretArn,
      },
    });
    return provisioner;
  }

  /**
   * The media bucket as an imported reference, plus its bucket policy statement made here.
   *
   * `S3BucketOrigin.withOriginAccessControl(bucket)` adds to the bucket's policy a statement
   * naming the distribution's ARN. The bucket policy lives in the data stack, which the edge
   * stack depends on: a distribution ARN there is a dependency cycle. So the origin gets an
   * imported reference (CDK leaves its policy alone) and the statement below, in the data
   * stack's policy, allows CloudFront reads of `media/*` and `artwork/*` from distributions of this account
   * (`AWS:SourceArn` like `distribution/*`), the same wildcard CDK itself uses for OAC key
   * policies. Tightening it to the two ARNs after the first deploy is in docs/edge.md.
   */
  private mediaOrigin(mediaBucket: IBucket): IBucket {
    mediaBucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EdgeReadsMediaThroughOac',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: EDGE_READABLE_PREFIXES.map((prefix) => mediaBucket.arnForObjects(`${prefix}*`)),
        conditions: {
          ArnLike: { 'AWS:SourceArn': `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/*` },
          StringEquals: { 'AWS:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    const imported = Bucket.fromBucketAttributes(this, 'MediaBucketRef', {
      bucketArn: mediaBucket.bucketArn,
      bucketRegionalDomainName: mediaBucket.bucketRegionalDomainName,
      region: this.region,
    });
    return imported;
  }

  /**
   * CloudFront standard logging writes log files with an ACL grant to the bucket owner, so it
   * cannot deliver to a bucket with ObjectOwnership BUCKET_OWNER_ENFORCED (ACLs disabled) like
   * the data stack's access-logs bucket. The edge logs get their own bucket with ACLs enabled
   * (OBJECT_WRITER), private, encrypted, TLS-only, expiring like the other access logs.
   */
  private logBucket(config: TargetConfig): Bucket {
    const bucket = new Bucket(this, 'EdgeLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'This bucket holds the CloudFront access logs itself; logging it to the data stack access-logs bucket would make the data stack depend on the edge stack (a cycle).',
    });
    return bucket;
  }

  private acknowledgeDistribution(edge: DeliveryDistribution): void {
    const target = edge.distribution;
    Annotations.of(edge).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
      'The media bucket policy statement for the edge is added in EdgeStack.mediaOrigin (data stack policy, no cycle).',
    );
    Validations.of(target).acknowledge({
      id: 'AwsSolutions::AwsSolutions-CFR1',
      reason:
        'No distribution-wide geo restriction: regional licensing is enforced per title by the catalog and playback (viewer country), which a country list on the edge cannot express.',
    });
    Validations.of(target).acknowledge({
      id: 'AwsSolutions::AwsSolutions-CFR2',
      reason:
        'No WAF web ACL by default (a fixed monthly cost per ACL): media requests are gated by the signed edge token at viewer request; attaching a WAF is documented in docs/edge.md.',
    });
    Validations.of(target).acknowledge({
      id: 'AwsSolutions::AwsSolutions-CFR4',
      reason:
        'The pathways use the default *.cloudfront.net certificate, where CloudFront fixes the minimum viewer protocol at TLSv1; TLSv1.2_2021 needs a custom domain and ACM certificate (docs/edge.md).',
    });
  }
}
