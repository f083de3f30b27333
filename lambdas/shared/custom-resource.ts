/**
 * A Lambda-backed CloudFormation custom resource answers CloudFormation itself: a PUT of a JSON
 * document to the presigned `ResponseURL` of the event. Small enough to write here rather than
 * deploy the custom-resources Provider framework (another function, its role and their findings).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';

export type CustomResourceOutcome =
  | { readonly status: 'SUCCESS'; readonly data?: Record<string, string> }
  | { readonly status: 'FAILED'; readonly reason: string };

/** `true` for an event CloudFormation sent (as opposed to a direct invocation). */
export function isCustomResourceEvent(event: unknown): event is CloudFormationCustomResourceEvent {
  const e = event as Partial<CloudFormationCustomResourceEvent> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.ResponseURL === 'string' &&
    (e.RequestType === 'Create' || e.RequestType === 'Update' || e.RequestType === 'Delete')
  );
}

/**
 * The response document. The physical id stays what it was (a new one on Update would make
 * CloudFormation delete the old resource); on Create it is `physicalId`.
 */
export function customResourceResponse(
  event: CloudFormationCustomResourceEvent,
  outcome: CustomResourceOutcome,
  physicalId: string,
): CloudFormationCustomResourceResponse {
  const common = {
    PhysicalResourceId: 'PhysicalResourceId' in event ? event.PhysicalResourceId : physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  return outcome.status === 'SUCCESS'
    ? { Status: 'SUCCESS', ...common, ...(outcome.data ? { Data: outcome.data } : {}) }
    : // CloudFormation shows at most 4 KB of the reason.
      { Status: 'FAILED', Reason: outcome.reason.slice(0, 4000), ...common };
}

/** Sends the response; the presigned URL signs no content type, so none is sent. */
export async function sendCustomResourceResponse(
  event: CloudFormationCustomResourceEvent,
  response: CloudFormationCustomResourceResponse,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const answer = await fetchImpl(event.ResponseURL, {
    method: 'PUT',
    headers: { 'content-type': '' },
    body: JSON.stringify(response),
  });
  if (!answer.ok) throw new Error(`CloudFormation refused the response: HTTP ${answer.status}.`);
}
