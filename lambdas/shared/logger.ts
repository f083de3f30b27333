import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs; the service name (the function id) comes from POWERTOOLS_SERVICE_NAME,
 * the Lambda context and the correlation id from the handler chain (`#shared/handler-chain.ts`).
 */
export const logger = new Logger();
