/**
 * The one infra test that bundles: every other one synthesizes with
 * `'aws:cdk:bundling-stacks': []`. It bundles every function of the aws target as `cdk deploy`
 * does, with esbuild's metafile (context `showrunner:bundle-metafile`), and checks: what every
 * bundle is made of (no input from `local/`, `test/` or `bench/`: Lambda code never imports the
 * local platform), the media pipeline's bundles in detail (the WebAssembly asset of
 * validateSource, the AWS SDK left to the runtime), and the edge stack's one function, which
 * bundles the SDK (`awsSdk: 'bundled'`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetManifestArtifact, type CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createApp } from '../../bin/showrunner.ts';
import { FUNCTION_METADATA, FUNCTIONS } from '../../lambdas/contracts/functions.ts';
import { loadConfig } from '../../lib/config.ts';
import { BUNDLE_METAFILE_CONTEXT } from '../../lib/constructs/service-function.ts';

const WASM_FILE = 'MediaInfoModule.wasm';
const WASM_SOURCE = new URL(`../../node_modules/mediainfo.js/dist/${WASM_FILE}`, import.meta.url);
const PIPELINE_FUNCTIONS = [
  'chooseArtwork',
  'discardOutputs',
  'planEncode',
  'publishAsset',
  'recordProgress',
  'validateSource',
  'verifyOutputs',
] as const;

interface BundledFunction {
  functionId: string;
  handler: unknown;
  runtime: unknown;
  /** Absolute path of the function's asset directory in the cloud assembly, as the asset manifest names it. */
  assetDir: string;
  /** How the CLI uploads the directory: `zip` for Lambda code. */
  packaging: string | undefined;
}

interface SourceMap {
  version: number;
  sources: string[];
}

let outdir: string;
let functions: BundledFunction[];
/** The edge stack's: the signing-key provisioner. */
let edgeFunctions: BundledFunction[];
/** Every house function of every stack. */
let allFunctions: BundledFunction[];

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'showrunner-bundling-'));
  const config = loadConfig('aws');
  const pipelineStack = `${config.stackPrefix}-MediaPipeline`;
  const edgeStack = `${config.stackPrefix}-Edge`;
  const app = createApp({
    outdir,
    context: { 'aws:cdk:bundling-stacks': ['**'], [BUNDLE_METAFILE_CONTEXT]: true },
  });
  const built = buildApp(app, config);

  const assembly = app.synth();
  functions = bundledFunctionsOf(assembly, pipelineStack);
  edgeFunctions = bundledFunctionsOf(assembly, edgeStack);
  allFunctions = [built.data, built.pipeline, built.controlPlane, built.edge]
    .filter((stack) => stack !== undefined)
    .flatMap((stack) => bundledFunctionsOf(assembly, stack.stackName));
});

/** The house functions of one stack, with their bundle directories from its asset manifest. */
function bundledFunctionsOf(assembly: CloudAssembly, stackName: string): BundledFunction[] {
  const stack = assembly.getStackByName(stackName);
  // What `cdk deploy` uploads: the stack's asset manifest maps each object key to its directory.
  const manifest = stack.dependencies.find(AssetManifestArtifact.isAssetManifestArtifact);
  if (!manifest) throw new Error(`${stackName} has no asset manifest`);
  const { files } = JSON.parse(readFileSync(manifest.file, 'utf8')) as {
    files: Record<string, { source: { path: string; packaging?: string } }>;
  };
  const template = stack.template as {
    Resources: Record<
      string,
      { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }
    >;
  };
  return Object.values(template.Resources)
    .filter(
      (r) => r.Type === 'AWS::Lambda::Function' && typeof r.Metadata?.[FUNCTION_METADATA.ID] === 'string',
    )
    .map((r) => {
      const code = r.Properties.Code as { S3Key?: unknown };
      const asset = files[String(code.S3Key).replace(/\.zip$/, '')];
      if (!asset) throw new Error(`No asset for ${String(code.S3Key)} in ${manifest.file}`);
      return {
        functionId: String(r.Metadata?.[FUNCTION_METADATA.ID]),
        handler: r.Properties.Handler,
        runtime: r.Properties.Runtime,
        assetDir: join(assembly.directory, asset.source.path),
        packaging: asset.source.packaging,
      };
    });
}

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

function bundleOf(functionId: string): BundledFunction {
  const fn = functions.find((f) => f.functionId === functionId);
  if (!fn) throw new Error(`No bundled function ${functionId}`);
  return fn;
}

function readSourceMap(fn: BundledFunction): SourceMap {
  return JSON.parse(readFileSync(join(fn.assetDir, 'index.mjs.map'), 'utf8')) as SourceMap;
}

/** The npm packages whose files went into a bundle, from its source map (`@scope/name` or `name`). */
function packagesIn(map: SourceMap): string[] {
  const names = map.sources.flatMap((source) => {
    const inside = source.split('node_modules/').at(-1);
    if (inside === undefined || inside === source) return [];
    const [first, second] = inside.split('/');
    return first?.startsWith('@') ? [`${first}/${second}`] : [first ?? ''];
  });
  return [...new Set(names)].sort();
}

function sha256(path: string | URL): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The files esbuild read to make a bundle, relative to the repository root. */
function inputsOf(fn: BundledFunction): string[] {
  const meta = JSON.parse(readFileSync(join(fn.assetDir, 'index.meta.json'), 'utf8')) as {
    inputs: Record<string, unknown>;
  };
  return Object.keys(meta.inputs);
}

describe('what every Lambda bundle is made of', () => {
  it('bundles every declared function the aws target runs, with its esbuild metafile', () => {
    const ids = allFunctions.map((f) => f.functionId);

    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(40);
    for (const fn of allFunctions) expect(inputsOf(fn).length, fn.functionId).toBeGreaterThan(0);
  });

  it('takes no input from local/, test/ or bench/ (the local platform injects its stand-ins)', () => {
    const offenders = allFunctions.flatMap((fn) =>
      inputsOf(fn)
        .filter((input) => /^(local|test|bench)\//.test(input.replace(/^(\.\.\/)+/, '')))
        .map((input) => `${fn.functionId}: ${input}`),
    );

    expect(offenders).toEqual([]);
  });

  it('reads its own entry', () => {
    for (const fn of allFunctions) {
      const inputs = inputsOf(fn);
      expect(inputs, fn.functionId).toContain(FUNCTIONS[fn.functionId as keyof typeof FUNCTIONS].entry);
    }
  });
});

describe('Lambda bundles of the media pipeline', () => {
  it('bundles every pipeline function, each into its own asset', () => {
    expect(functions.map((f) => f.functionId).sort()).toEqual([...PIPELINE_FUNCTIONS]);
    expect(functions.map((f) => f.packaging)).toEqual(PIPELINE_FUNCTIONS.map(() => 'zip'));
    expect(new Set(functions.map((f) => f.assetDir)).size).toBe(PIPELINE_FUNCTIONS.length);
  });

  it.each(PIPELINE_FUNCTIONS)(
    'gives %s an ESM index.mjs with its source map, and nothing else unasked',
    (id) => {
      const fn = bundleOf(id);

      const files = readdirSync(fn.assetDir).sort();

      // index.meta.json only because this synth asks for it (`showrunner:bundle-metafile`).
      const expected =
        id === 'validateSource'
          ? [WASM_FILE, 'index.meta.json', 'index.mjs', 'index.mjs.map']
          : ['index.meta.json', 'index.mjs', 'index.mjs.map'];
      expect(files).toEqual(expected);
      expect(fn.handler).toBe('index.handler');
      expect(fn.runtime).toBe('nodejs24.x');
    },
  );

  it.each(PIPELINE_FUNCTIONS)('makes %s an ES module that exports handler and can still require()', (id) => {
    const code = readFileSync(join(bundleOf(id).assetDir, 'index.mjs'), 'utf8');

    expect(
      code.startsWith(
        "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      ),
    ).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}/);
    expect(code).not.toMatch(/\bmodule\.exports\s*=/);
    expect(code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map')).toBe(true);
  });

  it.each(PIPELINE_FUNCTIONS)('maps the bundle of %s back to its TypeScript entry', (id) => {
    const map = readSourceMap(bundleOf(id));

    expect(map.version).toBe(3);
    expect(map.sources.some((source) => source.endsWith(FUNCTIONS[id].entry))).toBe(true);
  });

  it('copies the MediaInfo WebAssembly module, byte for byte, next to the validateSource bundle', () => {
    const wasm = join(bundleOf('validateSource').assetDir, WASM_FILE);

    expect(existsSync(wasm)).toBe(true);
    expect(sha256(wasm)).toBe(sha256(WASM_SOURCE));
  });

  it('bundles mediainfo.js into validateSource, which loads the copied module', () => {
    expect(packagesIn(readSourceMap(bundleOf('validateSource')))).toContain('mediainfo.js');
  });

  it('keeps the CDK out of every function bundle', () => {
    for (const fn of functions) {
      const packages = packagesIn(readSourceMap(fn));
      const code = readFileSync(join(fn.assetDir, 'index.mjs'), 'utf8');

      expect(packages, fn.functionId).not.toContain('aws-cdk-lib');
      expect(packages, fn.functionId).not.toContain('constructs');
      expect(code, fn.functionId).not.toContain('aws-cdk-lib');
    }
  });

  it('leaves the AWS SDK to the Lambda runtime instead of bundling it', () => {
    const fn = bundleOf('discardOutputs');

    const packages = packagesIn(readSourceMap(fn));
    const code = readFileSync(join(fn.assetDir, 'index.mjs'), 'utf8');

    expect(packages.filter((p) => p.startsWith('@aws-sdk/'))).toEqual([]);
    expect(code).toMatch(/from\s*["']@aws-sdk\/client-s3["']/);
  });
});

describe('the Lambda bundle of a function that writes the edge KeyValueStore', () => {
  const provisioner = () => {
    const fn = edgeFunctions.find((f) => f.functionId === 'provisionEdgeKeys');
    if (!fn) throw new Error('No bundled provisionEdgeKeys');
    return fn;
  };

  it('carries the KeyValueStore client with the pure-JS SigV4A signer, one copy shared by both', () => {
    const packages = packagesIn(readSourceMap(provisioner()));

    expect(packages).toEqual(
      expect.arrayContaining([
        '@aws-sdk/client-cloudfront-keyvaluestore',
        '@aws-sdk/signature-v4-multi-region',
        '@smithy/signature-v4',
        '@smithy/signature-v4a',
      ]),
    );
    expect(packages).not.toContain('aws-crt');
    const cores = readSourceMap(provisioner()).sources.filter((s) =>
      s.endsWith('@aws-sdk/core/package.json'),
    );
    expect(cores.length).toBeLessThanOrEqual(1);
  });

  it('leaves every other SDK client to the runtime (Secrets Manager here)', () => {
    const packages = packagesIn(readSourceMap(provisioner()));
    const code = readFileSync(join(provisioner().assetDir, 'index.mjs'), 'utf8');

    expect(packages).not.toContain('@aws-sdk/client-secrets-manager');
    expect(code).toMatch(/from\s*["']@aws-sdk\/client-secrets-manager["']/);
    expect(code).not.toMatch(/from\s*["']@aws-sdk\/client-cloudfront-keyvaluestore["']/);
  });

  it('loads as an ES module that exports handler', async () => {
    process.env.SHOWRUNNER_EDGE_KVS_ARN = 'arn:aws:cloudfront::123456789012:key-value-store/test';
    process.env.SHOWRUNNER_EDGE_KEY_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:edge';

    const bundle = (await import(join(provisioner().assetDir, 'index.mjs'))) as { handler?: unknown };

    expect(typeof bundle.handler).toBe('function');
  });
});
