/**
 * DynamoDB Local for adapter tests: one emulator per test file (in memory, free port), tables
 * created from their declarations in `lambdas/contracts/tables.ts`, and the environment set so
 * the adapters' module-scope SDK clients (`#shared/aws.ts`) reach it.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { tableEnv } from '../../lambdas/contracts/env.ts';
import { TABLES, type TableDeclaration, type TableId } from '../../lambdas/contracts/tables.ts';
import type { LocalTable } from '../../local/assembly.ts';
import {
  type DynamoEmulator,
  ensureTables,
  LOCAL_CREDENTIALS,
  startDynamo,
} from '../../local/emulators/dynamodb.ts';

export interface TestDynamo {
  emulator: DynamoEmulator;
  /** Creates a fresh table from its declaration, sets `tableEnv(id)`, returns its name. */
  createTable(tableId: TableId): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestDynamo(): Promise<TestDynamo> {
  const emulator = await startDynamo({ dataDir: null, port: await freePort() });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = emulator.endpoint;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  return {
    emulator,
    async createTable(tableId) {
      const name = `test-${tableId}-${randomUUID().slice(0, 8)}`;
      await ensureTables(emulator.client, [localTable(name, TABLES[tableId])]);
      process.env[tableEnv(tableId)] = name;
      return name;
    },
    stop: () => emulator.stop(),
  };
}

/** A declaration in the shape the local platform reads from the synthesized template. */
export function localTable(name: string, declaration: TableDeclaration): LocalTable {
  const attributes = new Set<string>([declaration.partitionKey]);
  if (declaration.sortKey) attributes.add(declaration.sortKey);
  for (const index of declaration.indexes) {
    attributes.add(index.partitionKey);
    if (index.sortKey) attributes.add(index.sortKey);
  }
  return {
    logicalId: declaration.constructId,
    name,
    partitionKey: declaration.partitionKey,
    sortKey: declaration.sortKey,
    timeToLiveAttribute: declaration.timeToLiveAttribute,
    attributeDefinitions: [...attributes].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
    globalSecondaryIndexes: declaration.indexes.map((i) => ({
      IndexName: i.name,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' },
        ...(i.sortKey ? [{ AttributeName: i.sortKey, KeyType: 'RANGE' }] : []),
      ],
    })),
  };
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => ok(port));
    });
  });
}
