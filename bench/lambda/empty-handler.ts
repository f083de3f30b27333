/**
 * The baseline of `npm run bench:lambda`: a handler that imports nothing and does nothing,
 * bundled with the same esbuild command as the functions (see `bundles.ts`). Its cold start is
 * what the runtime, Node and the harness cost before any code of ours runs.
 */
export const handler = async (): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 200,
  body: '',
});
