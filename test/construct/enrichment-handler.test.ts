import { readFileSync } from 'fs';
import { join } from 'path';
import { AlarmEvent, DigestApi, describe as describeEvent, publishDigest } from '../../src/construct/enrichment/digest.lambda';

const FIXTURES = join(__dirname, '..', 'fixtures', 'enrichment');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const ALARM: AlarmEvent = fixture('alarm-event.json');
const PATTERN = '{($.eventSource=iam.amazonaws.com) && ($.eventName=PutUserPolicy)}';
const SETTINGS = { logGroupName: 'trail-logs', maxEvents: 3, maxPages: 20, slackMinutes: 10 };
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:Sec-Topic';

function throttling(): Error {
  const recorded = fixture('throttling-exception.json').error;
  return Object.assign(new Error(recorded.message), recorded);
}

/** A DigestApi that replays recorded FilterLogEvents pages (or errors) and records every call. */
function replay(pages: any[]) {
  const calls: { op: string; input: any }[] = [];
  const queue = [...pages];
  const api: DigestApi = {
    describeMetricFilters: async (input) => {
      calls.push({ op: 'DescribeMetricFilters', input });
      return { metricFilters: [{ filterName: 'iam_changes_metric', filterPattern: PATTERN, logGroupName: 'trail-logs' }] };
    },
    filterLogEvents: async (input) => {
      calls.push({ op: 'FilterLogEvents', input });
      const next = queue.shift();
      if (next instanceof Error) throw next;
      return next;
    },
    describeAlarms: async (input) => {
      calls.push({ op: 'DescribeAlarms', input });
      return { MetricAlarms: [{ AlarmActions: [TOPIC, 'arn:aws:lambda:us-east-1:111111111111:function:digest'] }] };
    },
    publish: async (input) => {
      calls.push({ op: 'Publish', input });
      return { MessageId: 'm-1' };
    },
    sleep: async (ms) => {
      calls.push({ op: 'sleep', input: ms });
    },
  };
  return { api, calls };
}

describe('who-did-it digest (recorded FilterLogEvents pages)', () => {
  test('follows nextToken over every page with the exact pattern and the alarm window, lists a bounded number of events', async () => {
    const { api, calls } = replay(fixture('filter-log-events-pages.json').pages);
    const result = (await publishDigest(ALARM, api, SETTINGS))!;

    const searches = calls.filter((c) => c.op === 'FilterLogEvents').map((c) => c.input);
    expect(searches.map((s) => s.nextToken)).toEqual([undefined, 'Bxkq6kVGFtq2y_MoigeqscPOdhXVbhiVtLoAmXb5jCrI7fXA', 'Bxkq6kVGFtq2y_MoigeqscPOdhXVbhiVtLoAmXb5jCrI7fXB']);
    for (const s of searches) {
      expect(s).toMatchObject({ logGroupName: 'trail-logs', filterPattern: PATTERN });
      // Window: the alarm's period (300 s) plus 10 minutes of delivery slack, ending at the state change.
      expect([new Date(s.startTime).toISOString(), new Date(s.endTime).toISOString()]).toEqual(['2026-12-02T09:50:00.000Z', '2026-12-02T10:05:00.000Z']);
    }
    expect(calls[0]).toEqual({ op: 'DescribeMetricFilters', input: { logGroupName: 'trail-logs', metricName: 'iam_changes_metric', metricNamespace: 'CISBenchmark' } });

    expect(result.matched).toBe(4);
    expect(result.complete).toBe(true);
    expect(result.subject).toBe('ALARM Sec-iam_changes_alarm: 4 events');
    expect(result.message).toContain('Showing 3:');
    expect(result.message).toContain('2026-12-02T10:01:12Z iam.amazonaws.com CreatePolicyVersion by arn:aws:sts::111111111111:assumed-role/admin/alice '
      + 'from 203.0.113.10 in account 111111111111 us-east-1');
    expect(result.message).not.toContain('PutUserPolicy by Root'); // the 4th event is counted, not listed (maxEvents 3)
    expect(result.message).toContain('Logs Insights saved query: cis-log-monitoring/Sec/4.4 iam_changes_alarm');
    expect(result.message).toContain(`Filter pattern: ${PATTERN}`);
    // Published to the alarm's SNS actions only (not to its Lambda action).
    expect(calls.filter((c) => c.op === 'Publish').map((c) => c.input.TopicArn)).toEqual([TOPIC]);
  });

  test('an empty window still publishes, saying so', async () => {
    const { api, calls } = replay(fixture('filter-log-events-empty.json').pages);
    const result = (await publishDigest(ALARM, api, SETTINGS))!;
    expect(result.matched).toBe(0);
    expect(result.subject).toBe('ALARM Sec-iam_changes_alarm: 0 events');
    expect(result.message).toMatch(/No event matched in this window/);
    expect(calls.filter((c) => c.op === 'Publish')).toHaveLength(1);
  });

  test('throttling: retried with backoff, and the search continues', async () => {
    const pages = fixture('filter-log-events-pages.json').pages;
    const { api, calls } = replay([throttling(), throttling(), ...pages]);
    const result = (await publishDigest(ALARM, api, SETTINGS))!;
    expect(calls.filter((c) => c.op === 'sleep').map((c) => c.input)).toEqual([200, 400]);
    expect(result.matched).toBe(4);
    expect(result.complete).toBe(true);
  });

  test('throttling that does not stop: a partial digest is still published and says it is incomplete', async () => {
    const pages = fixture('filter-log-events-pages.json').pages;
    const { api, calls } = replay([pages[0], throttling(), throttling(), throttling(), throttling(), throttling()]);
    const result = (await publishDigest(ALARM, api, SETTINGS))!;
    expect(result.matched).toBe(2);
    expect(result.complete).toBe(false);
    expect(result.subject).toBe('ALARM Sec-iam_changes_alarm: 2+ events');
    expect(result.message).toMatch(/throttled by CloudWatch Logs after 4 retries; the list may be incomplete/);
    expect(calls.filter((c) => c.op === 'Publish')).toHaveLength(1);
  });

  test('other errors are not swallowed (the invocation fails and CloudWatch records it)', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const { api, calls } = replay([denied]);
    await expect(publishDigest(ALARM, api, SETTINGS)).rejects.toThrow('not authorized');
    expect(calls.filter((c) => c.op === 'Publish')).toHaveLength(0);
  });

  test('pages beyond maxPages are not fetched; the count says "at least"', async () => {
    const { api, calls } = replay(fixture('filter-log-events-pages.json').pages);
    const result = (await publishDigest(ALARM, api, { ...SETTINGS, maxPages: 1 }))!;
    expect(calls.filter((c) => c.op === 'FilterLogEvents')).toHaveLength(1);
    expect(result.subject).toBe('ALARM Sec-iam_changes_alarm: 2+ events');
  });

  test('OK and INSUFFICIENT_DATA transitions do nothing', async () => {
    const { api, calls } = replay([]);
    const ok = { ...ALARM, alarmData: { ...ALARM.alarmData, state: { value: 'OK', timestamp: '2026-12-02T10:10:00.000+0000' } } };
    expect(await publishDigest(ok, api, SETTINGS)).toBeUndefined();
    expect(calls).toEqual([]);
  });

  test('principal without an ARN (root, anonymous) and a non-JSON message are described, not dropped', () => {
    expect(describeEvent(JSON.stringify({ eventName: 'GetObject', userIdentity: { type: 'AWSAccount', accountId: 'anonymous' }, sourceIPAddress: '192.0.2.1' }), 0))
      .toContain('GetObject by AWSAccount anonymous from 192.0.2.1');
    expect(describeEvent('plain text', 0)).toBe('1970-01-01T00:00:00.000Z (not a JSON event) plain text');
  });
});
