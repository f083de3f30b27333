import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { edgeParameterNames, PATHWAY_IDS } from '../../lib/stacks/edge-stack.ts';
import { synth } from './synth.ts';

// AWS managed policy ids (documented, stable).
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

interface Behavior {
  PathPattern?: string;
  ViewerProtocolPolicy: string;
  CachePolicyId: unknown;
  OriginRequestPolicyId?: unknown;
  AllowedMethods: string[];
  TargetOriginId: string;
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
}
interface Origin {
  Id: string;
  DomainName: unknown;
  OriginAccessControlId?: unknown;
  S3OriginConfig?: { OriginAccessIdentity?: string };
  OriginShield?: { Enabled: boolean; OriginShieldRegion?: unknown };
  OriginPath?: unknown;
}
interface DistributionConfig {
  Comment: string;
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
  Origins: Origin[];
  HttpVersion: string;
  PriceClass: string;
  Logging: { Bucket: unknown; Prefix: string; IncludeCookies: boolean };
}

let built: ReturnType<typeof synth>;
let edge: Template;
let distributions: DistributionConfig[];

function logicalIdOf(type: string): string {
  const found = Object.keys(edge.findResources(type));
  expect(found).toHaveLength(1);
  return found[0] as string;
}

function behavior(config: DistributionConfig, pattern: string): Behavior {
  const found = config.CacheBehaviors.find((b) => b.PathPattern === pattern);
  if (!found) throw new Error(`no ${pattern} behavior in "${config.Comment}"`);
  return found;
}

function origin(config: DistributionConfig, b: Behavior): Origin {
  const found = config.Origins.find((o) => o.Id === b.TargetOriginId);
  if (!found) throw new Error(`no origin ${b.TargetOriginId}`);
  return found;
}

beforeAll(() => {
  built = synth('aws');
  if (!built.edge) throw new Error('the aws target has no edge stack');
  edge = Template.fromStack(built.edge);
  distributions = Object.values(edge.findResources('AWS::CloudFront::Distribution')).map(
    (d) => (d as { Properties: { DistributionConfig: DistributionConfig } }).Properties.DistributionConfig,
  );
});

describe('edge stack', () => {
  it('has two distributions, one per pathway, on HTTP/2 and HTTP/3 with every edge location', () => {
    expect(distributions).toHaveLength(2);
    expect(PATHWAY_IDS).toEqual(['edge-a', 'edge-b']);
    for (const [i, config] of distributions.entries()) {
      expect(config.Comment).toContain(`pathway ${PATHWAY_IDS[i]}`);
      expect(config.HttpVersion).toBe('http2and3');
      expect(config.PriceClass).toBe('PriceClass_All');
    }
  });

  it('reads the media bucket through one Origin Access Control, with no origin access identity', () => {
    const oac = logicalIdOf('AWS::CloudFront::OriginAccessControl');
    edge.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
    edge.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    built.data.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    for (const config of distributions) {
      const media = origin(config, behavior(config, '/t/*'));
      expect(JSON.stringify(media.DomainName)).toMatch(/MediaBucket.*RegionalDomainName/);
      expect(media.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oac, 'Id'] });
      expect(media.S3OriginConfig?.OriginAccessIdentity ?? '').toBe('');
    }
  });

  it('puts Origin Shield in front of the media bucket, in the stack region', () => {
    for (const config of distributions) {
      const media = origin(config, behavior(config, '/t/*'));
      expect(media.OriginShield).toEqual({ Enabled: true, OriginShieldRegion: { Ref: 'AWS::Region' } });
    }
  });

  it('redirects HTTP to HTTPS on every behavior', () => {
    for (const config of distributions) {
      const all = [config.DefaultCacheBehavior, ...config.CacheBehaviors];
      expect(all).toHaveLength(6);
      expect(all.map((b) => b.ViewerProtocolPolicy)).toEqual(Array(6).fill('redirect-to-https'));
    }
  });

  it('runs the token function (cloudfront-js-2.0, with its KeyValueStore) at viewer request on every media behavior', () => {
    const fn = logicalIdOf('AWS::CloudFront::Function');
    const kvs = logicalIdOf('AWS::CloudFront::KeyValueStore');
    edge.hasResourceProperties('AWS::CloudFront::Function', {
      AutoPublish: true,
      FunctionCode: readFileSync(new URL('../../edge/verify-token.js', import.meta.url), 'utf8'),
      FunctionConfig: Match.objectLike({
        Runtime: 'cloudfront-js-2.0',
        KeyValueStoreAssociations: [{ KeyValueStoreARN: { 'Fn::GetAtt': [kvs, 'Arn'] } }],
      }),
    });
    const atViewerRequest = [
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fn, 'FunctionARN'] } },
    ];
    for (const config of distributions) {
      for (const pattern of ['/t/*.m3u8', '/t/*', '/artwork/*', '/_edge/health']) {
        expect(behavior(config, pattern).FunctionAssociations, pattern).toEqual(atViewerRequest);
      }
      // Anything else is refused by the same function before the bucket is asked.
      expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual(atViewerRequest);
      expect(config.DefaultCacheBehavior.CachePolicyId).toBe(CACHING_DISABLED);
    }
  });

  it('orders playlists before segments, so /t/*.m3u8 is matched first', () => {
    for (const config of distributions) {
      const patterns = config.CacheBehaviors.map((b) => b.PathPattern);
      expect(patterns.indexOf('/t/*.m3u8')).toBeLessThan(patterns.indexOf('/t/*'));
    }
  });

  it('caches playlists for seconds and segments for a long time, keyed by the URI only', () => {
    const policies = edge.findResources('AWS::CloudFront::CachePolicy');
    const byTtl = (max: number) => {
      const found = Object.entries(policies).find(
        ([, p]) =>
          (p as { Properties: { CachePolicyConfig: { MaxTTL: number } } }).Properties.CachePolicyConfig
            .MaxTTL === max,
      );
      if (!found) throw new Error(`no cache policy with MaxTTL ${max}`);
      return found;
    };
    const [playlistId, playlist] = byTtl(5);
    const [segmentId, segment] = byTtl(31_536_000);
    const uriOnly = {
      QueryStringsConfig: { QueryStringBehavior: 'none' },
      HeadersConfig: { HeaderBehavior: 'none' },
      CookiesConfig: { CookieBehavior: 'none' },
    };
    expect(playlist).toMatchObject({
      Properties: {
        CachePolicyConfig: {
          DefaultTTL: 2,
          MaxTTL: 5,
          MinTTL: 0,
          ParametersInCacheKeyAndForwardedToOrigin: uriOnly,
        },
      },
    });
    expect(segment).toMatchObject({
      Properties: {
        CachePolicyConfig: {
          DefaultTTL: 86_400,
          MaxTTL: 31_536_000,
          MinTTL: 0,
          ParametersInCacheKeyAndForwardedToOrigin: {
            ...uriOnly,
            EnableAcceptEncodingGzip: false,
            EnableAcceptEncodingBrotli: false,
          },
        },
      },
    });
    for (const config of distributions) {
      expect(behavior(config, '/t/*.m3u8').CachePolicyId).toEqual({ Ref: playlistId });
      expect(behavior(config, '/t/*').CachePolicyId).toEqual({ Ref: segmentId });
    }
  });

  it('serves public poster artwork at /artwork/* from the media bucket, cached like segments', () => {
    const [segmentId] = Object.entries(edge.findResources('AWS::CloudFront::CachePolicy')).find(
      ([, p]) =>
        (p as { Properties: { CachePolicyConfig: { MaxTTL: number } } }).Properties.CachePolicyConfig
          .MaxTTL === 31_536_000,
    ) ?? [undefined];
    for (const config of distributions) {
      const artwork = behavior(config, '/artwork/*');
      expect(artwork.CachePolicyId).toEqual({ Ref: segmentId });
      expect(artwork.TargetOriginId).toBe(behavior(config, '/t/*').TargetOriginId);
      expect([...artwork.AllowedMethods].sort()).toEqual(['GET', 'HEAD', 'OPTIONS']);
    }
  });

  it('serves the API at /v1/* uncached, with every method, viewer headers but Host, and the viewer country', () => {
    for (const config of distributions) {
      const api = behavior(config, '/v1/*');
      expect(api.CachePolicyId).toBe(CACHING_DISABLED);
      // AllViewerExceptHostHeader: all viewer headers, cookies and query strings except Host,
      // plus CloudFront's viewer location headers, CloudFront-Viewer-Country among them.
      expect(api.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
      expect(api.FunctionAssociations).toBeUndefined();
      expect([...api.AllowedMethods].sort()).toEqual([
        'DELETE',
        'GET',
        'HEAD',
        'OPTIONS',
        'PATCH',
        'POST',
        'PUT',
      ]);
      const apiOrigin = origin(config, api);
      expect(JSON.stringify(apiOrigin.DomainName)).toContain('.execute-api.');
      expect(JSON.stringify(apiOrigin.DomainName)).toMatch(/Showrunner-ControlPlane:ExportsOutputRefApi/);
      // The stage is the origin path: /v1/... reaches the API's /v1/... in stage prod.
      expect(apiOrigin.OriginPath).toBeDefined();
    }
  });

  it('adds security headers everywhere and CORS for players on media', () => {
    const security = {
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 31_536_000,
        IncludeSubdomains: true,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
    };
    edge.resourceCountIs('AWS::CloudFront::ResponseHeadersPolicy', 2);
    edge.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: security,
        CorsConfig: Match.objectLike({
          AccessControlAllowOrigins: { Items: ['*'] },
          AccessControlAllowMethods: { Items: ['GET', 'HEAD', 'OPTIONS'] },
          AccessControlAllowCredentials: false,
          OriginOverride: true,
        }),
      }),
    });
    edge.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: security,
        CorsConfig: Match.absent(),
      }),
    });
    for (const config of distributions) {
      for (const b of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
        expect(b).toHaveProperty('ResponseHeadersPolicyId');
      }
    }
  });

  it('logs each pathway under its own prefix, to a bucket with ACLs enabled as standard logging requires', () => {
    const logs = logicalIdOf('AWS::S3::Bucket');
    edge.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 })] },
    });
    expect(distributions.map((c) => c.Logging)).toEqual(
      PATHWAY_IDS.map((id) => ({
        Bucket: { 'Fn::GetAtt': [logs, 'RegionalDomainName'] },
        Prefix: `${id}/`,
        IncludeCookies: false,
      })),
    );
  });

  it('lets CloudFront distributions of this account read media/* and artwork/* only, by AWS:SourceArn', () => {
    const statements = Object.values(built.data.findResources('AWS::S3::BucketPolicy')).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties
          .PolicyDocument.Statement,
    );
    const cloudfront = statements.filter(
      (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'cloudfront.amazonaws.com' }),
    );
    expect(cloudfront).toHaveLength(1);
    expect(cloudfront[0]).toMatchObject({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Condition: {
        ArnLike: {
          'AWS:SourceArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':cloudfront::',
                { Ref: 'AWS::AccountId' },
                ':distribution/*',
              ],
            ],
          },
        },
        StringEquals: { 'AWS:SourceAccount': { Ref: 'AWS::AccountId' } },
      },
    });
    const resources = cloudfront[0]?.Resource as {
      'Fn::Join': [string, [{ 'Fn::GetAtt': [string, string] }, string]];
    }[];
    expect(resources).toHaveLength(2);
    for (const resource of resources) {
      expect(resource['Fn::Join'][1][0]['Fn::GetAtt'][0]).toMatch(/^MediaBucket/);
    }
    expect(resources.map((r) => r['Fn::Join'][1][1]).sort()).toEqual(['/artwork/*', '/media/*']);
  });

  it('exposes the pathways and publishes them, with the KeyValueStore ARN, for playback', () => {
    const stack = built.edge as NonNullable<typeof built.edge>;
    const resolved = Stack.of(stack).resolve(stack.pathways) as { id: string; baseUrl: unknown }[];
    expect(resolved.map((p) => p.id)).toEqual(['edge-a', 'edge-b']);
    for (const p of resolved)
      expect(JSON.stringify(p.baseUrl)).toMatch(/https:\/\/.*Distribution.*DomainName/);
    const names = edgeParameterNames(built.config);
    edge.hasResourceProperties('AWS::SSM::Parameter', { Name: names.pathways, Type: 'String' });
    edge.hasResourceProperties('AWS::SSM::Parameter', {
      Name: names.keyValueStoreArn,
      Value: { 'Fn::GetAtt': [logicalIdOf('AWS::CloudFront::KeyValueStore'), 'Arn'] },
    });
    const outputs = edge.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['EdgeADomainName', 'EdgeBDomainName']));
  });

  it('has one custom resource: the signing-key provisioner, no Provider framework', () => {
    const types = Object.values(edge.toJSON().Resources as Record<string, { Type: string }>).map(
      (r) => r.Type,
    );
    expect(
      types.filter((t) => t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource'),
    ).toEqual(['Custom::EdgeSigningKeys']);
    // The house function answers CloudFormation itself: it is the only function here.
    expect(Object.keys(edge.findResources('AWS::Lambda::Function'))).toHaveLength(1);
  });

  it('acknowledges exactly the geo-restriction, WAF, default-certificate TLS, log-bucket and X-Ray findings', () => {
    const report = JSON.parse(
      readFileSync(join(built.assembly.directory, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: {
        pluginName: string;
        violations: unknown[];
        suppressedViolations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
      }[];
    };
    const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.violations).toEqual([]);
    const edgeFindings = (nag?.suppressedViolations ?? [])
      .filter((v) => v.violatingConstructs.some((c) => c.constructPath.startsWith('Showrunner-Edge/')))
      .map((v) => v.ruleName);
    expect([...new Set(edgeFindings)].sort()).toEqual([
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR2',
      'AwsSolutions-CFR4',
      // The key provisioner's X-Ray actions, which take no resource (the house Lambda acknowledges it).
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-S1',
    ]);
  });
});

describe('targets without CloudFront', () => {
  it('builds no edge stack for LocalStack or the embedded platform', () => {
    expect(synth('localstack').edge).toBeUndefined();
    expect(synth('local').edge).toBeUndefined();
  });
});
