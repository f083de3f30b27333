/**
 * One delivery pathway: a CloudFront distribution in front of the private media bucket (through
 * Origin Access Control) and the REST API (`/v1/*`), with the edge-token function on every media
 * behavior. Poster artwork (`/artwork/*`) is public: the same function lets its exact key shape
 * through without a token, and it is cached like segments. The edge stack makes two of them from
 * the same shared policies, function and OAC.
 */
import { Duration } from 'aws-cdk-lib';
import type { RestApiBase } from 'aws-cdk-lib/aws-apigateway';
import {
  AllowedMethods,
  CachedMethods,
  CachePolicy,
  Distribution,
  type Function as EdgeFunction,
  FunctionEventType,
  HttpVersion,
  type ICachePolicy,
  type IOriginAccessControl,
  type IResponseHeadersPolicy,
  OriginRequestPolicy,
  type PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { RestApiOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface DeliveryDistributionProps {
  /** Pathway id, as players see it in `PATHWAY-ID` (`edge-a`); also the log prefix. */
  readonly pathwayId: string;
  /** The media bucket as an imported reference (see the edge stack for why). */
  readonly mediaOrigin: IBucket;
  readonly originAccessControl: IOriginAccessControl;
  /** Region of the Origin Shield cache layer: the media bucket's region. */
  readonly originShieldRegion: string;
  readonly api: RestApiBase;
  readonly verifyToken: EdgeFunction;
  readonly playlistCache: ICachePolicy;
  readonly segmentCache: ICachePolicy;
  readonly mediaHeaders: IResponseHeadersPolicy;
  readonly apiHeaders: IResponseHeadersPolicy;
  readonly logBucket: IBucket;
  readonly priceClass: PriceClass;
}

export class DeliveryDistribution extends Construct {
  public readonly distribution: Distribution;
  public readonly pathwayId: string;

  constructor(scope: Construct, id: string, props: DeliveryDistributionProps) {
    super(scope, id);
    this.pathwayId = props.pathwayId;

    const media = S3BucketOrigin.withOriginAccessControl(props.mediaOrigin, {
      originAccessControl: props.originAccessControl,
      originShieldRegion: props.originShieldRegion,
      originShieldEnabled: true,
    });
    // The API stage is the origin path (`/prod`), so `/v1/...` reaches the API's `/v1/...`.
    const api = new RestApiOrigin(props.api, { originShieldEnabled: false });
    const verifyAtViewerRequest = [
      { function: props.verifyToken, eventType: FunctionEventType.VIEWER_REQUEST },
    ];
    const mediaBehavior = (cachePolicy: ICachePolicy, compress: boolean) => ({
      origin: media,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachedMethods: CachedMethods.CACHE_GET_HEAD,
      cachePolicy,
      responseHeadersPolicy: props.mediaHeaders,
      functionAssociations: verifyAtViewerRequest,
      compress,
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Showrunner delivery pathway ${props.pathwayId}: token-checked HLS and public artwork from the media bucket, and the API at /v1/*`,
      // Anything that is not a token path, the health probe or the API: the function answers
      // 403 (`missing`) before the bucket is ever asked.
      defaultBehavior: mediaBehavior(CachePolicy.CACHING_DISABLED, false),
      additionalBehaviors: {
        // Order matters: CloudFront takes the first pattern that matches.
        '/t/*.m3u8': mediaBehavior(props.playlistCache, true),
        '/t/*': mediaBehavior(props.segmentCache, false),
        // Public poster candidates: immutable under their keys (the id is a digest of the bytes),
        // JPEG already compressed.
        '/artwork/*': mediaBehavior(props.segmentCache, false),
        '/_edge/health': mediaBehavior(CachePolicy.CACHING_DISABLED, false),
        '/v1/*': {
          origin: api,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // Every viewer header but Host (API Gateway routes on its own host name), all query
          // strings and cookies, plus CloudFront's viewer location headers
          // (CloudFront-Viewer-Country is what `viewerCountry()` reads).
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: props.apiHeaders,
          compress: true,
        },
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      priceClass: props.priceClass,
      // Standard logging writes with ACLs, so the log bucket has ACLs enabled (edge stack).
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: `${props.pathwayId}/`,
      logIncludesCookies: false,
      // `minimumProtocolVersion` (TLSv1.2_2021) only applies with a custom certificate and
      // domain name; the default *.cloudfront.net certificate keeps CloudFront's TLSv1 floor.
    });
  }
}

/** TTLs of the two media cache policies; the tests and docs read them from here. */
export const PLAYLIST_TTL = { default: Duration.seconds(2), max: Duration.seconds(5) } as const;
export const SEGMENT_TTL = { default: Duration.days(1), max: Duration.days(365) } as const;
