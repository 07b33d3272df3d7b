/**
 * SdkAuditApi through the real AWS SDK clients, answered by an HTTP handler with the responses AWS
 * sends (status, headers and body as the services' protocols define them: JSON 1.1 for CloudWatch
 * Logs and CloudTrail, the query protocol's XML for SNS). Shows that the SDK's paginators read every
 * page and that AWS's error shapes reach the audit as the error names it decides on.
 */
import { Readable } from 'stream';
import { AuditApiError, SdkAuditApi } from 'cdk-cis-log-monitoring/lib/cli-support';
import { FakeAccount, LOG_GROUP, REGION } from './fake-account';
import { runCisAudit } from '../../src/account/audit';

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
    reason: expect.stringMatching(/^IsLogging of trail 'main' cannot be determined \(cannot read: cloudtrail:GetTrailStatus failed: TrailNotFoundException: Unknown trail: org-trail for the user: 111122223333\)/),
  });
  expect(report.status).toBe('UNKNOWN');
});

test('the calls issue 18 added, on the response shapes AWS documents: delivery error, topic and subscription attributes, key, role', async () => {
  const topic = 'arn:aws:sns:eu-west-1:111122223333:cis-alarms';
  const subscription = `${topic}:0f1e2d3c-aaaa-bbbb-cccc-000000000001`;
  const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  const entries = (attributes: Record<string, string>) => Object.entries(attributes)
    .map(([k, v]) => `<entry><key>${k}</key><value>${v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')}</value></entry>`).join('');
  const sns = (action: string, inner: string) => `<${action}Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><${action}Result>${inner}`
    + `</${action}Result><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${action}Response>`;
  const sdk = api((operation, body) => {
    switch (operation) {
      case 'GetTrailStatus': return {
        status: 200,
        body: JSON.stringify({ IsLogging: true, LatestCloudWatchLogsDeliveryError: 'AccessDeniedException', LatestCloudWatchLogsDeliveryTime: 1765000000 }),
      };
      case 'GetEventSelectors': return {
        status: 200,
        body: JSON.stringify({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'] }] }),
      };
      case 'GetTopicAttributes': return body.includes('deleted')
        ? { status: 404, body: '<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error></ErrorResponse>' }
        : { status: 200, body: sns('GetTopicAttributes', `<Attributes>${entries({ TopicArn: topic, KmsMasterKeyId: 'alias/cis-topic', Policy: JSON.stringify({ Statement: [] }) })}</Attributes>`) };
      case 'GetSubscriptionAttributes': return {
        status: 200,
        body: sns('GetSubscriptionAttributes', `<Attributes>${entries({ PendingConfirmation: 'false', FilterPolicy: '{"severity":["high"]}', FilterPolicyScope: 'MessageBody' })}</Attributes>`),
      };
      case 'ListSubscriptionsByTopic': return {
        status: 200,
        body: sns('ListSubscriptionsByTopic', '<Subscriptions><member><TopicArn>t</TopicArn><Protocol>email</Protocol><SubscriptionArn>PendingConfirmation</SubscriptionArn>'
          + '<Owner>111122223333</Owner><Endpoint>a@example.com</Endpoint></member></Subscriptions>'),
      };
      case 'DescribeKey': return {
        status: 200,
        body: JSON.stringify({ KeyMetadata: { Arn: keyArn, KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', Enabled: false, KeyState: 'PendingDeletion', KeyManager: 'CUSTOMER' } }),
      };
      case 'GetKeyPolicy': return { status: 200, body: JSON.stringify({ Policy: '{"Statement":[]}', PolicyName: 'default' }) };
      case 'GetRole': return body.includes('RoleName=gone')
        ? {
          status: 404,
          body: '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>'
          + '<Message>The role with name gone cannot be found.</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
        }
        : {
          status: 200,
          body: '<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><Path>/</Path>'
          + '<RoleName>trail-to-logs</RoleName><RoleId>AROAEXAMPLE</RoleId><Arn>arn:aws:iam::111122223333:role/trail-to-logs</Arn>'
          + '<CreateDate>2026-01-01T00:00:00Z</CreateDate>'
          + `<AssumeRolePolicyDocument>${encodeURIComponent(JSON.stringify(trust))}</AssumeRolePolicyDocument></Role></GetRoleResult>`
          + '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetRoleResponse>',
        };
      default: return undefined;
    }
  });
  expect(await sdk.getTrailStatus(REGION, 'arn')).toEqual({
    isLogging: true, latestCloudWatchLogsDeliveryError: 'AccessDeniedException', latestCloudWatchLogsDeliveryTime: '2025-12-06T05:46:40.000Z',
  });
  expect((await sdk.getEventSelectors(REGION, 'arn')).eventSelectors[0].excludeManagementEventSources).toEqual(['kms.amazonaws.com']);
  expect(await sdk.getTopicAttributes(REGION, topic)).toEqual({ kmsMasterKeyId: 'alias/cis-topic', policy: '{"Statement":[]}' });
  expect(await sdk.getTopicAttributes(REGION, 'arn:aws:sns:eu-west-1:111122223333:deleted')).toBeUndefined();
  expect(await sdk.getSubscriptionAttributes(REGION, subscription)).toEqual({
    pendingConfirmation: false, filterPolicy: '{"severity":["high"]}', filterPolicyScope: 'MessageBody',
  });
  expect(await sdk.listSubscriptionsByTopic(REGION, topic)).toEqual([{ subscriptionArn: 'PendingConfirmation', protocol: 'email', endpoint: 'a@example.com' }]);
  expect(await sdk.describeKey(REGION, 'alias/cis-topic')).toEqual({
    arn: keyArn, keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', enabled: false, keyState: 'PendingDeletion', keyManager: 'CUSTOMER',
  });
  expect(await sdk.getKeyPolicy(REGION, '1234abcd-12ab-34cd-56ef-1234567890ab')).toBe('{"Statement":[]}');
  expect(await sdk.getRole('arn:aws:iam::111122223333:role/trail-to-logs')).toEqual({
    arn: 'arn:aws:iam::111122223333:role/trail-to-logs', assumeRolePolicyDocument: JSON.stringify(trust),
  });
  expect(await sdk.getRole('arn:aws:iam::111122223333:role/gone')).toBeUndefined();
});
