/**
 * The Lambda handler (inline code, Node.js runtime with the AWS SDK for JavaScript v3 built in) behind
 * `CisLogMonitoring`'s `trailArn`: at deploy time it reads the trail, refuses one that is not multi-region or
 * does not deliver to CloudWatch Logs (the deployment fails with the reason), or whose log group is in another
 * account or region than the stack (metric filters can only be created there), and returns the log group's name.
 *
 * Kept as plain JavaScript text so that what the tests run is byte for byte what is deployed.
 * Inline code (ZipFile) is limited to 4096 characters.
 */
export const TRAIL_LOOKUP_HANDLER_CODE = `
const { CloudTrailClient, DescribeTrailsCommand } = require('@aws-sdk/client-cloudtrail');
const https = require('https');

async function lookUp(p) {
  const arn = String(p.TrailArn || '');
  const m = /^arn:[^:]+:cloudtrail:([^:]+):(\\d{12}):trail\\/(.+)$/.exec(arn);
  if (!m) throw new Error('TrailArn ' + JSON.stringify(arn) + ' is not a CloudTrail trail ARN');
  const client = new CloudTrailClient({ region: m[1] });
  const out = await client.send(new DescribeTrailsCommand({ trailNameList: [arn], includeShadowTrails: true }));
  const trail = (out.trailList || []).find((t) => t.TrailARN === arn);
  if (!trail) throw new Error('trail ' + arn + ' not found (DescribeTrails lists no such trail)');
  const why = [];
  if (trail.IsMultiRegionTrail !== true) {
    why.push('it is not multi-region (IsMultiRegionTrail is false): CIS audit step 1 needs a multi-region trail, and events of other regions would never reach the metric filters');
  }
  const lg = trail.CloudWatchLogsLogGroupArn;
  if (!lg) {
    why.push('it does not deliver to CloudWatch Logs (no CloudWatchLogsLogGroupArn): the metric filters would see no event');
  }
  if (why.length > 0) throw new Error('CisLogMonitoring refuses trail ' + arn + ': ' + why.join('; and '));
  const parts = lg.split(':');
  const name = parts[6];
  if (parts[5] !== 'log-group' || !name) throw new Error('trail ' + arn + ' has CloudWatchLogsLogGroupArn ' + lg + ', which is not a log group ARN');
  if (p.StackAccount && parts[4] !== p.StackAccount || p.StackRegion && parts[3] !== p.StackRegion) {
    throw new Error('trail ' + arn + ' delivers to log group ' + name + ' in account ' + parts[4] + ', region ' + parts[3]
      + '; metric filters can only be created there, so deploy this stack to account ' + parts[4] + ', region ' + parts[3]
      + ' (this stack is in account ' + p.StackAccount + ', region ' + p.StackRegion + ')');
  }
  return { LogGroupName: name, LogGroupArn: parts.slice(0, 7).join(':'), TrailName: trail.Name };
}

function respond(event, status, reason, data) {
  const body = JSON.stringify({
    Status: status, Reason: reason, PhysicalResourceId: event.PhysicalResourceId || String(event.ResourceProperties.TrailArn),
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: data,
  });
  return new Promise((resolve, reject) => {
    const req = https.request(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } },
      (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end(body);
  });
}

exports.lookUp = lookUp;
exports.handler = async (event) => {
  try {
    const data = event.RequestType === 'Delete' ? {} : await lookUp(event.ResourceProperties);
    await respond(event, 'SUCCESS', 'ok', data);
  } catch (e) {
    await respond(event, 'FAILED', String(e && e.message || e).slice(0, 3000), {});
  }
};
`;
