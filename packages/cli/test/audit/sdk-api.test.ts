/**
 * SdkAuditApi through the real AWS SDK clients, answered by an HTTP handler with the responses AWS
 * sends (status, headers and body as the services' protocols define them: JSON 1.1 for CloudWatch
 * Logs and CloudTrail, the query protocol's XML for SNS). Shows that the SDK's paginators read every
 * page and that AWS's error shapes reach the audit as the error names it decides on.
 */
import { Readable } from 'stream';
import { FakeAccount, LOG_GROUP, REGION } from './fake-account';
import { AuditApiError, SdkAuditApi, runCisAudit } from '../../src/audit';

interface Answer { readonly status: number; readonly body: string; readonly headers?: Record<string, string> }
type Route = (operation: string, body: string) => Answer | undefined;

/** An SDK request handler: the operation is the JSON protocols' X-Amz-Target, or the query protocol's Action. */
function handler(route: Route, seen: string[] = []) {
  return {
    handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
      const body = typeof request.body === 'string' ? request.body : request.body instanceof Uint8Array ? Buffer.from(request.body).toString('utf8') : '';
      const target = request.headers['x-amz-target'];
      const operation = target ? target.split('.').pop()! : /(?:^|&)Action=([^&]+)/.exec(body)?.[1] ?? '?';
      seen.push(`${operation} ${body}`);
      const answer = route(operation, body);
      if (!answer) throw new Error(`no recorded answer for ${operation}`);
      const json = answer.body.startsWith('{');
      return {
        response: {
          statusCode: answer.status,
          reason: undefined,
          headers: { 'content-type': json ? 'application/x-amz-json-1.1' : 'text/xml', 'x-amzn-requestid': 'r-1', ...answer.headers },
          body: Readable.from([Buffer.from(answer.body)]),
        },
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
}

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const api = (route: Route, seen?: string[]) => new SdkAuditApi({ credentials: CREDENTIALS, requestHandler: handler(route, seen) });
const filter = (name: string) => ({
  filterName: name,
  logGroupName: LOG_GROUP,
  filterPattern: '{ $.eventName = "x" }',
  metricTransformations: [{ metricName: name, metricNamespace: 'CISBenchmark', metricValue: '1' }],
});

test('paginators: every page of DescribeMetricFilters and DescribeLogGroups is read', async () => {
  const seen: string[] = [];
  const sdk = api((operation, body) => {
    if (operation === 'DescribeMetricFilters') {
      return JSON.parse(body).nextToken === 'page-2'
        ? { status: 200, body: JSON.stringify({ metricFilters: [filter('b')] }) }
        : { status: 200, body: JSON.stringify({ metricFilters: [filter('a')], nextToken: 'page-2' }) };
    }
    if (operation === 'DescribeLogGroups') {
      // A prefix lists longer names too: the exact name is on the second page.
      return JSON.parse(body).nextToken === 'g-2'
        ? { status: 200, body: JSON.stringify({ logGroups: [{ logGroupName: LOG_GROUP }] }) }
        : { status: 200, body: JSON.stringify({ logGroups: [{ logGroupName: `${LOG_GROUP}-archive` }], nextToken: 'g-2' }) };
    }
    return undefined;
  }, seen);
  expect((await sdk.describeMetricFilters(REGION, LOG_GROUP)).map((f) => f.filterName)).toEqual(['a', 'b']);
  expect(await sdk.logGroupExists(REGION, LOG_GROUP)).toBe(true);
  expect(await sdk.logGroupExists(REGION, `${LOG_GROUP}-arch`)).toBe(false);
  expect(seen.filter((s) => s.startsWith('DescribeMetricFilters'))).toHaveLength(2);
});

test('a log group that does not exist: CloudWatch Logs\' ResourceNotFoundException reaches the audit by name', async () => {
  const sdk = api((operation) => (operation === 'DescribeMetricFilters' ? {
    status: 400,
    headers: { 'x-amzn-errortype': 'ResourceNotFoundException:' },
    body: JSON.stringify({ __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' }),
  } : undefined));
  const error = await sdk.describeMetricFilters(REGION, 'gone').catch((e) => e);
  expect(error).toBeInstanceOf(AuditApiError);
  expect(error).toMatchObject({ operation: 'logs:DescribeMetricFilters', errorName: 'ResourceNotFoundException' });
  expect(error.message).toBe('logs:DescribeMetricFilters failed: ResourceNotFoundException: The specified log group does not exist.');
});

test('SNS AuthorizationError on a cross-account topic, and NotFound for a deleted one', async () => {
  const topic = 'arn:aws:sns:eu-west-1:999988887777:central-alarms';
  const xmlError = (code: string, message: string) => '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>'
    + `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;
  const denied = `User: arn:aws:sts::111122223333:assumed-role/auditor/s is not authorized to perform: SNS:ListSubscriptionsByTopic on resource: ${topic}`;
  const sdk = api((operation, body) => (operation === 'ListSubscriptionsByTopic'
    ? body.includes('central-alarms') ? { status: 403, body: xmlError('AuthorizationError', denied) } : { status: 404, body: xmlError('NotFound', 'Topic does not exist') }
    : undefined));
  const error = await sdk.listSubscriptionsByTopic(REGION, topic).catch((e) => e);
  // The SDK names the query protocol's error code AuthorizationError `AuthorizationErrorException`.
  expect(error).toMatchObject({ operation: 'sns:ListSubscriptionsByTopic', errorName: 'AuthorizationErrorException' });
  expect(error.message).toBe(`sns:ListSubscriptionsByTopic failed: AuthorizationErrorException: ${denied}`);
  expect(await sdk.listSubscriptionsByTopic(REGION, 'arn:aws:sns:eu-west-1:111122223333:deleted')).toBeUndefined();
});

test('CloudTrail\'s TrailNotFoundException for a trail whose status cannot be read makes the trail UNKNOWN in the audit', async () => {
  const sdk = api((operation) => (operation === 'GetTrailStatus' ? {
    status: 400,
    body: JSON.stringify({ __type: 'TrailNotFoundException', Message: 'Unknown trail: org-trail for the user: 111122223333' }),
  } : undefined));
  const account = new FakeAccount();
  account.getTrailStatus = (region, arn) => sdk.getTrailStatus(region, arn);
  const report = await runCisAudit(account, { region: REGION });
  expect(report.trails[0]).toMatchObject({
    status: 'UNKNOWN',
    reason: 'cannot read the trail\'s status: cloudtrail:GetTrailStatus failed: TrailNotFoundException: Unknown trail: org-trail for the user: 111122223333',
  });
  expect(report.status).toBe('UNKNOWN');
});
