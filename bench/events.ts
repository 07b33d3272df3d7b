// Everyday CloudTrail management events for the replay benchmark's corpus (bench/corpus.ts): the calls that make up
// most of a real trail, in 36 service families and about 500 distinct event names, with the field shapes real records
// have (several user identity types, readOnly true and false, a small share of errors, responseElements on writes,
// additionalEventData, vpcEndpointId, tlsDetails, resources). Two variants of the parameters:
// - 'flat': requestParameters and responseElements of one or two levels (ids, names, a few small lists);
// - 'nested': requestParameters and responseElements as deep as real ones (EC2 filter and item sets, RunInstances
//   with block device mappings, network interfaces and tag specifications, CloudFormation parameter arrays, bucket
//   policy documents, Lambda environment and VPC configuration, ECS container definitions...): 5 to 8 levels, arrays
//   of objects.
// Everything is drawn from the seeded PRNG given, so a corpus is the same bytes on every run.

export type Variant = 'flat' | 'nested';
export type Rand = () => number;

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
const OTHER_ACCOUNTS = ['444455556666', '777788889999', '123456789012'];

interface Ctx {
  readonly r: Rand;
  readonly name: string;
  readonly variant: Variant;
}

interface Family {
  readonly source: string;
  /** Relative share of the trail's everyday events. */
  readonly weight: number;
  /** Read-only calls, most frequent first (picked with Zipf-like weights). */
  readonly reads: string[];
  /** Calls that change something, most frequent first. */
  readonly writes: string[];
  /** Share of this family's events that are writes. */
  readonly writeShare: number;
  /** AWS services that call this API on a principal's behalf (userIdentity.invokedBy / AWSService). */
  readonly invokers: string[];
  /** Whether the service has VPC interface endpoints (vpcEndpointId on some calls from private addresses). */
  readonly endpoints?: boolean;
  readonly flat: (c: Ctx) => Record<string, unknown>;
  /** Deep parameters of the 'nested' variant; by default the flat ones with the family's filter, tag and paging shapes. */
  readonly nested?: (c: Ctx) => Record<string, unknown>;
  /** responseElements of a successful write (both variants; the nested variant adds depth for the special events). */
  readonly response: (c: Ctx, request: Record<string, unknown>) => Record<string, unknown>;
  /** Error codes this service returns besides the common ones. */
  readonly errors?: string[];
}

// ---- small helpers -------------------------------------------------------------------------------------------------

const int = (r: Rand, n: number): number => Math.floor(r() * n);
function pick<T>(r: Rand, items: readonly T[]): T {
  return items[int(r, items.length)];
}
function hex(r: Rand, n: number): string {
  let s = '';
  while (s.length < n) s += Math.floor(r() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, n);
}
function upper(r: Rand, n: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let s = '';
  for (let i = 0; i < n; i++) s += chars[int(r, chars.length)];
  return s;
}
export function uuid(r: Rand): string {
  return `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;
}
function times<T>(r: Rand, min: number, max: number, f: (i: number) => T): T[] {
  return Array.from({ length: min + int(r, max - min + 1) }, (_, i) => f(i));
}
/** Index into n items with weights 1/(i+1): the first calls of a list are the common ones, as in real trails. */
function zipf(r: Rand, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += 1 / (i + 1);
  let x = r() * total;
  for (let i = 0; i < n; i++) {
    x -= 1 / (i + 1);
    if (x < 0) return i;
  }
  return n - 1;
}

const TEAMS = ['payments', 'orders', 'checkout', 'search', 'ledger', 'identity', 'billing', 'catalog', 'inventory', 'notifications', 'reporting', 'fraud'];
const ENVS = ['production', 'staging', 'dev'];
const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'];
const svc = (r: Rand): string => `${pick(r, TEAMS)}-${pick(r, ['api', 'worker', 'etl', 'web', 'batch', 'stream'])}`;
const env = (r: Rand): string => pick(r, ENVS);
const bucket = (r: Rand): string => `${pick(r, TEAMS)}-${pick(r, ['data-lake', 'artifacts', 'exports', 'logs', 'assets', 'backups'])}-${int(r, 40)}`;
const roleName = (r: Rand): string => `${svc(r)}-${env(r)}-role`;
const arn = (service: string, resource: string, region = REGION): string => `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
const kmsKeyArn = (r: Rand): string => arn('kms', `key/${uuid(r)}`);
const subnet = (r: Rand): string => `subnet-0${hex(r, 16)}`;
const sg = (r: Rand): string => `sg-0${hex(r, 16)}`;
const vpc = (r: Rand): string => `vpc-0${hex(r, 16)}`;
const instanceId = (r: Rand): string => `i-0${hex(r, 16)}`;
const privateIp = (r: Rand): string => `10.${int(r, 32)}.${int(r, 256)}.${int(r, 256)}`;
const tagList = (r: Rand, key = 'key', value = 'value'): Array<Record<string, string>> => [
  { [key]: 'team', [value]: pick(r, TEAMS) },
  { [key]: 'environment', [value]: env(r) },
  ...(r() < 0.5 ? [{ [key]: 'cost-center', [value]: `cc-${1000 + int(r, 9000)}` }] : []),
];
const ec2Tags = (r: Rand) => ({ items: tagList(r) });
const maxResults = (r: Rand): number => pick(r, [20, 50, 100, 1000]);
const nextToken = (r: Rand): string => `${upper(r, 24)}${hex(r, 40)}==`;

// ---- deep shapes used by several families (nested variant) ---------------------------------------------------------

/** EC2 query-API filters: filterSet.items[].valueSet.items[].value (7 levels from requestParameters). */
function ec2Filters(r: Rand): Record<string, unknown> {
  return {
    items: times(r, 1, 3, () => ({
      name: pick(r, ['tag:team', 'tag:environment', 'instance-state-name', 'vpc-id', 'availability-zone', 'owner-id']),
      valueSet: { items: times(r, 1, 3, () => ({ value: pick(r, [...TEAMS, ...ENVS, 'running', 'stopped', ...AZS]) })) },
    })),
  };
}

/** A policy document as an object (bucket, key, queue, topic, secret policies in request parameters). */
function policyDocument(r: Rand, service: string, resource: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Id: `${service}-policy-${hex(r, 8)}`,
    Statement: times(r, 2, 4, (i) => ({
      Sid: `${pick(r, ['AllowRead', 'AllowWrite', 'DenyInsecure', 'AllowOrg', 'AllowService'])}${i}`,
      Effect: i === 0 && r() < 0.5 ? 'Deny' : 'Allow',
      Principal: r() < 0.3 ? '*' : { AWS: times(r, 1, 3, () => `arn:aws:iam::${pick(r, [ACCOUNT, ...OTHER_ACCOUNTS])}:role/${roleName(r)}`) },
      Action: times(r, 1, 4, () => `${service}:${pick(r, ['Get*', 'List*', 'Put*', 'Describe*', 'Decrypt', 'SendMessage', 'Publish', 'GetObject', 'PutObject'])}`),
      Resource: [resource, `${resource}/*`],
      Condition: {
        [pick(r, ['Bool', 'StringEquals', 'StringLike', 'ArnLike'])]: {
          [pick(r, ['aws:SecureTransport', 'aws:PrincipalOrgID', 'aws:SourceAccount', 'aws:SourceArn', 'aws:sourceVpce'])]: pick(r, ['false', 'o-a1b2c3d4e5', ACCOUNT, `vpce-0${hex(r, 16)}`]),
        },
      },
    })),
  };
}

/** Key/value filters of the JSON APIs (Filters[].Values[]), tags and paging: the default nested shape. */
function jsonApiExtras(r: Rand): Record<string, unknown> {
  return {
    filters: times(r, 1, 3, () => ({
      key: pick(r, ['tag:team', 'tag:environment', 'Name', 'Status', 'ResourceType']),
      values: times(r, 1, 3, () => pick(r, [...TEAMS, ...ENVS, 'ACTIVE', 'AVAILABLE'])),
      condition: { operator: pick(r, ['EQUALS', 'BEGINS_WITH']), caseSensitive: r() < 0.5 },
    })),
    tagFilters: [{ key: 'team', values: [pick(r, TEAMS)], match: { mode: 'ALL', options: { includeInherited: r() < 0.5 } } }],
    paging: { maxResults: maxResults(r), ...(r() < 0.4 ? { nextToken: nextToken(r) } : {}) },
  };
}

// ---- special deep request/response parameters (nested variant) -----------------------------------------------------

const NESTED_REQUEST: Record<string, (c: Ctx) => Record<string, unknown>> = {
  RunInstances: ({ r }) => ({
    instancesSet: { items: [{ imageId: `ami-0${hex(r, 16)}`, minCount: 1, maxCount: 1 + int(r, 3) }] },
    instanceType: pick(r, ['t3.micro', 'm6i.large', 'c6g.xlarge', 'r6i.2xlarge']),
    blockDeviceMapping: {
      items: times(r, 1, 3, (i) => ({
        deviceName: `/dev/${i === 0 ? 'xvda' : `sd${'bcdef'[i]}`}`,
        ebs: { volumeSize: pick(r, [8, 20, 50, 100]), deleteOnTermination: true, volumeType: 'gp3', encrypted: true, kmsKeyId: kmsKeyArn(r), iops: 3000, throughput: 125 },
      })),
    },
    availabilityZone: pick(r, AZS),
    monitoring: { enabled: r() < 0.5 },
    disableApiTermination: false,
    instanceInitiatedShutdownBehavior: 'stop',
    networkInterfaceSet: {
      items: [{
        deviceIndex: 0,
        subnetId: subnet(r),
        associatePublicIpAddress: false,
        groupSet: { items: times(r, 1, 3, () => ({ groupId: sg(r) })) },
        privateIpAddressesSet: { items: [{ privateIpAddress: privateIp(r), primary: true }] },
      }],
    },
    iamInstanceProfile: { arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${roleName(r)}` },
    ebsOptimized: true,
    tagSpecificationSet: {
      items: ['instance', 'volume', 'network-interface'].map((resourceType) => ({ resourceType, tags: ec2Tags(r) })),
    },
    launchTemplate: { launchTemplateId: `lt-0${hex(r, 16)}`, version: String(1 + int(r, 20)) },
    metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' },
    clientToken: uuid(r),
  }),
  CreateStack: ({ r }) => ({
    stackName: `${svc(r)}-${env(r)}`,
    templateURL: `https://s3.amazonaws.com/cdk-hnb659fds-assets-${ACCOUNT}-${REGION}/${hex(r, 64)}.json`,
    parameters: times(r, 3, 8, (i) => ({ parameterKey: `Param${i}${pick(r, ['Vpc', 'Subnets', 'Image', 'Size', 'Version'])}`, parameterValue: `${hex(r, 12)}`, usePreviousValue: false })),
    capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
    roleARN: `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`,
    tags: tagList(r),
    notificationARNs: [arn('sns', `cfn-events-${env(r)}`)],
    rollbackConfiguration: { rollbackTriggers: [{ arn: arn('cloudwatch', `alarm:${svc(r)}-errors`), type: 'AWS::CloudWatch::Alarm' }], monitoringTimeInMinutes: 5 },
    clientRequestToken: `exec-${uuid(r)}`,
  }),
  PutBucketPolicy: ({ r }) => {
    const name = bucket(r);
    return { bucketName: name, Host: `${name}.s3.amazonaws.com`, policy: '', bucketPolicy: policyDocument(r, 's3', `arn:aws:s3:::${name}`) };
  },
  CreateFunction20150331: ({ r }) => ({
    functionName: `${svc(r)}-${env(r)}-handler`,
    runtime: pick(r, ['nodejs20.x', 'python3.12', 'java21']),
    role: `arn:aws:iam::${ACCOUNT}:role/${roleName(r)}`,
    handler: 'index.handler',
    code: { s3Bucket: `cdk-hnb659fds-assets-${ACCOUNT}-${REGION}`, s3Key: `${hex(r, 64)}.zip` },
    timeout: 30,
    memorySize: pick(r, [128, 256, 1024]),
    environment: { variables: Object.fromEntries(times(r, 2, 6, (i) => [`VAR_${i}_${upper(r, 4)}`, hex(r, 16)])) },
    vpcConfig: { subnetIds: times(r, 2, 3, () => subnet(r)), securityGroupIds: [sg(r)], ipv6AllowedForDualStack: false },
    tracingConfig: { mode: 'Active' },
    loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'INFO', systemLogLevel: 'WARN', logGroup: `/aws/lambda/${svc(r)}` },
    architectures: ['arm64'],
    ephemeralStorage: { size: 512 },
    tags: Object.fromEntries(tagList(r).map((t) => [t.key, t.value])),
  }),
  RegisterTaskDefinition: ({ r }) => ({
    family: svc(r),
    taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName(r)}`,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    containerDefinitions: times(r, 1, 3, (i) => ({
      name: i === 0 ? 'app' : pick(r, ['envoy', 'datadog-agent', 'log-router']),
      image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${svc(r)}:${hex(r, 7)}`,
      essential: i === 0,
      portMappings: [{ containerPort: 8080, protocol: 'tcp', appProtocol: 'http' }],
      environment: times(r, 2, 5, (j) => ({ name: `ENV_${j}`, value: hex(r, 10) })),
      secrets: [{ name: 'DB_PASSWORD', valueFrom: arn('secretsmanager', `secret:${svc(r)}/db-${hex(r, 6)}`) }],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${svc(r)}`, 'awslogs-region': REGION, 'awslogs-stream-prefix': 'app' } },
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], interval: 30, retries: 3 },
      ulimits: [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }],
    })),
    tags: tagList(r),
  }),
  ChangeResourceRecordSets: ({ r }) => ({
    hostedZoneId: `Z${upper(r, 20)}`,
    changeBatch: {
      comment: 'managed by external-dns',
      changes: times(r, 1, 4, () => ({
        action: pick(r, ['UPSERT', 'CREATE', 'DELETE']),
        resourceRecordSet: {
          name: `${svc(r)}.${env(r)}.example.com.`,
          type: pick(r, ['A', 'CNAME', 'TXT']),
          setIdentifier: hex(r, 8),
          weight: 100,
          aliasTarget: { hostedZoneId: 'Z35SXDOTRQ7X7K', dNSName: `internal-${svc(r)}-${int(r, 1e9)}.${REGION}.elb.amazonaws.com`, evaluateTargetHealth: true },
          resourceRecords: [{ value: `"heritage=external-dns,external-dns/owner=${env(r)}"` }],
        },
      })),
    },
  }),
  CreateTable: ({ r }) => ({
    tableName: `${svc(r)}-${env(r)}`,
    attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }, { attributeName: 'sk', attributeType: 'S' }, { attributeName: 'gsi1pk', attributeType: 'S' }],
    keySchema: [{ attributeName: 'pk', keyType: 'HASH' }, { attributeName: 'sk', keyType: 'RANGE' }],
    globalSecondaryIndexes: [{
      indexName: 'gsi1',
      keySchema: [{ attributeName: 'gsi1pk', keyType: 'HASH' }],
      projection: { projectionType: 'INCLUDE', nonKeyAttributes: ['status', 'updatedAt'] },
      provisionedThroughput: { readCapacityUnits: 5, writeCapacityUnits: 5 },
    }],
    billingMode: 'PAY_PER_REQUEST',
    sSESpecification: { enabled: true, sSEType: 'KMS', kMSMasterKeyId: kmsKeyArn(r) },
    streamSpecification: { streamEnabled: true, streamViewType: 'NEW_AND_OLD_IMAGES' },
    tags: tagList(r),
  }),
  PutMetricAlarm: ({ r }) => ({
    alarmName: `${svc(r)}-${pick(r, ['errors', 'latency-p99', 'throttles', 'dlq-depth'])}`,
    comparisonOperator: 'GreaterThanThreshold',
    evaluationPeriods: 3,
    threshold: int(r, 100),
    alarmActions: [arn('sns', `oncall-${pick(r, TEAMS)}`)],
    metrics: [
      { id: 'm1', metricStat: { metric: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: [{ name: 'FunctionName', value: svc(r) }] }, period: 60, stat: 'Sum' }, returnData: false },
      { id: 'm2', metricStat: { metric: { namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: [{ name: 'FunctionName', value: svc(r) }] }, period: 60, stat: 'Sum' }, returnData: false },
      { id: 'e1', expression: '100 * m1 / m2', label: 'error rate', returnData: true },
    ],
    tags: tagList(r, 'Key', 'Value'),
  }),
  SendCommand: ({ r }) => ({
    documentName: pick(r, ['AWS-RunShellScript', 'AWS-RunPatchBaseline', 'AWS-ConfigureAWSPackage']),
    targets: [{ key: 'tag:team', values: [pick(r, TEAMS)] }],
    parameters: { commands: ['HIDDEN_DUE_TO_SECURITY_REASONS'], executionTimeout: ['3600'] },
    cloudWatchOutputConfig: { cloudWatchOutputEnabled: true, cloudWatchLogGroupName: '/ssm/run-command' },
    outputS3BucketName: bucket(r),
    notificationConfig: { notificationArn: arn('sns', 'ssm-commands'), notificationEvents: ['Failed', 'TimedOut'], notificationType: 'Command' },
    maxConcurrency: '10%',
    maxErrors: '1',
  }),
  CreateNodegroup: ({ r }) => ({
    clusterName: `${env(r)}-eks`,
    nodegroupName: `${svc(r)}-${hex(r, 6)}`,
    scalingConfig: { minSize: 2, maxSize: 10, desiredSize: 3 },
    subnets: times(r, 2, 3, () => subnet(r)),
    instanceTypes: ['m6i.large', 'm6a.large'],
    launchTemplate: { id: `lt-0${hex(r, 16)}`, version: '3' },
    labels: { 'team': pick(r, TEAMS), 'node.kubernetes.io/lifecycle': 'spot' },
    taints: [{ key: 'dedicated', value: pick(r, TEAMS), effect: 'NO_SCHEDULE' }],
    updateConfig: { maxUnavailablePercentage: 33 },
    tags: Object.fromEntries(tagList(r).map((t) => [t.key, t.value])),
  }),
  PutTargets: ({ r }) => ({
    rule: `${svc(r)}-schedule`,
    eventBusName: 'default',
    targets: times(r, 1, 3, (i) => ({
      id: `Target${i}`,
      arn: arn('lambda', `function:${svc(r)}`),
      inputTransformer: { inputPathsMap: { detail: '$.detail', time: '$.time' }, inputTemplate: '{"detail": <detail>, "at": <time>}' },
      retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      deadLetterConfig: { arn: arn('sqs', `${svc(r)}-dlq`) },
    })),
  }),
  StartQueryExecution: ({ r }) => ({
    queryString: `SELECT count(*) FROM ${pick(r, TEAMS)}_events WHERE dt = '2024-03-0${1 + int(r, 9)}' GROUP BY status`,
    queryExecutionContext: { database: `${pick(r, TEAMS)}_analytics`, catalog: 'AwsDataCatalog' },
    resultConfiguration: { outputLocation: `s3://${bucket(r)}/athena-results/`, encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: kmsKeyArn(r) } },
    workGroup: pick(r, ['primary', 'analysts', 'etl']),
    resultReuseConfiguration: { resultReuseByAgeConfiguration: { enabled: true, maxAgeInMinutes: 60 } },
    clientRequestToken: uuid(r),
  }),
  UpdateService: ({ r }) => ({
    cluster: `${env(r)}-cluster`,
    service: svc(r),
    taskDefinition: `${svc(r)}:${1 + int(r, 300)}`,
    desiredCount: 2 + int(r, 8),
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100, alarms: { alarmNames: [`${svc(r)}-errors`], enable: true, rollback: true } },
    networkConfiguration: { awsvpcConfiguration: { subnets: times(r, 2, 3, () => subnet(r)), securityGroups: [sg(r)], assignPublicIp: 'DISABLED' } },
    forceNewDeployment: r() < 0.3,
  }),
};

/** Deep responses of the nested variant for the special writes. */
const NESTED_RESPONSE: Record<string, (c: Ctx, request: Record<string, unknown>) => Record<string, unknown>> = {
  RunInstances: ({ r }) => ({
    requestId: uuid(r),
    reservationId: `r-0${hex(r, 16)}`,
    ownerId: ACCOUNT,
    groupSet: {},
    instancesSet: {
      items: [{
        instanceId: instanceId(r),
        imageId: `ami-0${hex(r, 16)}`,
        instanceState: { code: 0, name: 'pending' },
        privateDnsName: `ip-10-0-${int(r, 256)}-${int(r, 256)}.ec2.internal`,
        amiLaunchIndex: 0,
        productCodes: {},
        instanceType: 'm6i.large',
        launchTime: 1709280000000 + int(r, 1e9),
        placement: { availabilityZone: pick(r, AZS), tenancy: 'default' },
        monitoring: { state: 'disabled' },
        subnetId: subnet(r),
        vpcId: vpc(r),
        privateIpAddress: privateIp(r),
        stateReason: { code: 'pending', message: 'pending' },
        architecture: 'x86_64',
        rootDeviceType: 'ebs',
        rootDeviceName: '/dev/xvda',
        blockDeviceMapping: {},
        virtualizationType: 'hvm',
        hypervisor: 'xen',
        tagSet: ec2Tags(r),
        groupSet: { items: [{ groupId: sg(r), groupName: `${svc(r)}-sg` }] },
        networkInterfaceSet: {
          items: [{
            networkInterfaceId: `eni-0${hex(r, 16)}`,
            subnetId: subnet(r),
            vpcId: vpc(r),
            ownerId: ACCOUNT,
            status: 'in-use',
            macAddress: '0e:' + hex(r, 10).replace(/(..)(?=.)/g, '$1:'),
            privateIpAddress: privateIp(r),
            sourceDestCheck: true,
            interfaceType: 'interface',
            groupSet: { items: [{ groupId: sg(r), groupName: `${svc(r)}-sg` }] },
            attachment: { attachmentId: `eni-attach-0${hex(r, 16)}`, deviceIndex: 0, networkCardIndex: 0, status: 'attaching', attachTime: 1709280000000, deleteOnTermination: true },
            privateIpAddressesSet: { item: [{ privateIpAddress: privateIp(r), primary: true }] },
            ipv6AddressesSet: {},
            tagSet: {},
          }],
        },
        ebsOptimized: true,
        enaSupport: true,
        cpuOptions: { coreCount: 1, threadsPerCore: 2 },
        capacityReservationSpecification: { capacityReservationPreference: 'open' },
        enclaveOptions: { enabled: false },
        metadataOptions: { state: 'pending', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', httpProtocolIpv4: 'enabled' },
        maintenanceOptions: { autoRecovery: 'default' },
        privateDnsNameOptions: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false },
      }],
    },
    requesterId: '',
  }),
  CreateFunction20150331: ({ r }, q) => ({
    functionName: q.functionName,
    functionArn: arn('lambda', `function:${q.functionName}`),
    runtime: q.runtime,
    role: q.role,
    codeSize: 1000 + int(r, 5e6),
    state: 'Pending',
    stateReason: 'The function is being created.',
    stateReasonCode: 'Creating',
    vpcConfig: { ...(q.vpcConfig as object), vpcId: vpc(r) },
    environment: { variables: q.environment ? (q.environment as { variables: object }).variables : {} },
    tracingConfig: { mode: 'Active' },
    revisionId: uuid(r),
    packageType: 'Zip',
    architectures: ['arm64'],
    snapStart: { applyOn: 'None', optimizationStatus: 'Off' },
    runtimeVersionConfig: { runtimeVersionArn: `arn:aws:lambda:${REGION}::runtime:${hex(r, 64)}` },
    loggingConfig: q.loggingConfig,
  }),
  RegisterTaskDefinition: ({ r }, q) => ({
    taskDefinition: {
      taskDefinitionArn: arn('ecs', `task-definition/${q.family}:${1 + int(r, 300)}`),
      containerDefinitions: q.containerDefinitions,
      family: q.family,
      revision: 1 + int(r, 300),
      status: 'ACTIVE',
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }, { name: 'ecs.capability.secrets.asm.environment-variables' }],
      compatibilities: ['EC2', 'FARGATE'],
      registeredAt: 'Mar 1, 2024, 12:00:00 PM',
      registeredBy: `arn:aws:sts::${ACCOUNT}:assumed-role/ci-deploy/${hex(r, 8)}`,
    },
    tags: q.tags,
  }),
  CreateTable: ({ r }, q) => ({
    tableDescription: {
      ...q,
      tableStatus: 'CREATING',
      creationDateTime: 'Mar 1, 2024, 12:00:00 PM',
      tableArn: arn('dynamodb', `table/${q.tableName}`),
      tableId: uuid(r),
      provisionedThroughput: { numberOfDecreasesToday: 0, readCapacityUnits: 0, writeCapacityUnits: 0 },
      sSEDescription: { status: 'ENABLED', sSEType: 'KMS', kMSMasterKeyArn: kmsKeyArn(r) },
      latestStreamArn: arn('dynamodb', `table/${q.tableName}/stream/2024-03-01T12:00:00.000`),
      deletionProtectionEnabled: false,
    },
  }),
  ChangeResourceRecordSets: ({ r }) => ({ changeInfo: { id: `/change/C${upper(r, 20)}`, status: 'PENDING', submittedAt: 'Mar 1, 2024, 12:00:00 PM' } }),
  UpdateService: ({ r }, q) => ({
    service: {
      serviceArn: arn('ecs', `service/${q.cluster}/${q.service}`),
      serviceName: q.service,
      status: 'ACTIVE',
      desiredCount: q.desiredCount,
      deployments: times(r, 1, 2, (i) => ({
        id: `ecs-svc/${int(r, 1e15)}`,
        status: i === 0 ? 'PRIMARY' : 'ACTIVE',
        taskDefinition: arn('ecs', `task-definition/${q.taskDefinition}`),
        rolloutState: 'IN_PROGRESS',
        networkConfiguration: q.networkConfiguration,
      })),
      deploymentConfiguration: q.deploymentConfiguration,
      networkConfiguration: q.networkConfiguration,
    },
  }),
};

// ---- the families ---------------------------------------------------------------------------------------------------

const FAMILIES: Family[] = [
  {
    source: 'ec2.amazonaws.com',
    weight: 14,
    reads: ['DescribeInstances', 'DescribeInstanceStatus', 'DescribeVolumes', 'DescribeSecurityGroups', 'DescribeSubnets', 'DescribeNetworkInterfaces',
      'DescribeSnapshots', 'DescribeRouteTables', 'DescribeVpcs', 'DescribeImages', 'DescribeTags', 'DescribeAddresses', 'DescribeLaunchTemplates',
      'DescribeLaunchTemplateVersions', 'DescribeAvailabilityZones', 'DescribeRegions', 'DescribeKeyPairs', 'DescribeVpcEndpoints', 'DescribeNatGateways',
      'DescribeInstanceTypes', 'DescribeAccountAttributes', 'DescribeSpotPriceHistory', 'GetConsoleOutput', 'DescribeVolumeStatus', 'DescribeInstanceAttribute'],
    writes: ['CreateTags', 'RunInstances', 'TerminateInstances', 'CreateNetworkInterface', 'DeleteNetworkInterface', 'StopInstances', 'StartInstances',
      'CreateSnapshot', 'DeleteSnapshot', 'CreateVolume', 'AttachVolume', 'DetachVolume', 'DeleteVolume', 'CreateLaunchTemplateVersion',
      'ModifyInstanceAttribute', 'AssociateAddress', 'CreateImage', 'DeleteTags'],
    writeShare: 0.12,
    invokers: ['autoscaling.amazonaws.com', 'eks.amazonaws.com', 'ecs.amazonaws.com', 'elasticloadbalancing.amazonaws.com'],
    endpoints: true,
    errors: ['Client.UnauthorizedOperation', 'Client.InvalidInstanceID.NotFound', 'Client.RequestLimitExceeded', 'Client.DryRunOperation'],
    flat: ({ r }) => ({
      instancesSet: { items: times(r, 1, 4, () => ({ instanceId: instanceId(r) })) },
      filterSet: {},
      maxResults: maxResults(r),
      includeAllInstances: r() < 0.5,
    }),
    nested: ({ r }) => ({
      instancesSet: { items: times(r, 1, 4, () => ({ instanceId: instanceId(r) })) },
      filterSet: ec2Filters(r),
      tagSpecificationSet: { items: [{ resourceType: pick(r, ['instance', 'volume', 'snapshot']), tags: ec2Tags(r) }] },
      maxResults: maxResults(r),
    }),
    response: ({ r }) => ({ requestId: uuid(r), _return: true }),
  },
  {
    source: 's3.amazonaws.com',
    weight: 8,
    reads: ['GetBucketLocation', 'ListBuckets', 'GetBucketAcl', 'HeadBucket', 'GetBucketVersioning', 'GetBucketEncryption', 'GetBucketPolicy',
      'GetBucketPublicAccessBlock', 'GetBucketTagging', 'GetBucketPolicyStatus', 'GetBucketLogging', 'GetBucketLifecycle', 'GetBucketReplication',
      'GetBucketNotification', 'GetBucketOwnershipControls', 'GetBucketObjectLockConfiguration', 'GetBucketWebsite', 'GetBucketCors',
      'GetAccelerateConfiguration', 'GetBucketRequestPayment', 'GetBucketIntelligentTieringConfiguration'],
    writes: ['PutBucketTagging', 'CreateBucket', 'PutBucketVersioning', 'PutBucketEncryption', 'PutBucketPublicAccessBlock', 'PutBucketNotification',
      'PutBucketOwnershipControls', 'PutBucketLogging', 'PutBucketPolicy'],
    writeShare: 0.05,
    invokers: ['cloudformation.amazonaws.com', 'config.amazonaws.com', 'access-analyzer.amazonaws.com', 'macie.amazonaws.com'],
    endpoints: true,
    errors: ['NoSuchBucketPolicy', 'NoSuchTagSet', 'ServerSideEncryptionConfigurationNotFoundError', 'NoSuchLifecycleConfiguration', 'NoSuchCORSConfiguration', 'AccessDenied'],
    flat: ({ r }) => {
      const name = bucket(r);
      return { bucketName: name, Host: `${name}.s3.${REGION}.amazonaws.com`, [pick(r, ['acl', 'policy', 'versioning', 'encryption', 'tagging', 'location'])]: '' };
    },
    nested: ({ r }) => {
      const name = bucket(r);
      return {
        bucketName: name,
        Host: `${name}.s3.${REGION}.amazonaws.com`,
        ServerSideEncryptionConfiguration: {
          xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/',
          Rule: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKeyArn(r) }, BucketKeyEnabled: true }],
        },
        Tagging: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', TagSet: { Tag: tagList(r, 'Key', 'Value') } },
      };
    },
    response: () => ({}),
  },
  {
    source: 'iam.amazonaws.com',
    weight: 4,
    reads: ['GetRole', 'ListRoles', 'GetPolicy', 'GetPolicyVersion', 'ListAttachedRolePolicies', 'ListRolePolicies', 'GetRolePolicy', 'ListPolicies',
      'GetUser', 'ListUsers', 'ListGroups', 'ListAccessKeys', 'GetAccessKeyLastUsed', 'ListMFADevices', 'GetAccountSummary', 'ListInstanceProfiles',
      'GetInstanceProfile', 'ListRoleTags', 'ListPolicyVersions', 'GetAccountPasswordPolicy', 'GetCredentialReport', 'ListOpenIDConnectProviders',
      'ListSAMLProviders', 'ListServerCertificates', 'SimulatePrincipalPolicy', 'ListEntitiesForPolicy', 'GetServiceLastAccessedDetails',
      'ListAccountAliases', 'GetLoginProfile', 'ListVirtualMFADevices'],
    writes: ['TagRole', 'GenerateCredentialReport', 'GenerateServiceLastAccessedDetails', 'UpdateAssumeRolePolicy', 'CreateServiceLinkedRole', 'UpdateRoleDescription'],
    writeShare: 0.04,
    invokers: ['cloudformation.amazonaws.com', 'access-analyzer.amazonaws.com', 'config.amazonaws.com', 'securityhub.amazonaws.com'],
    errors: ['NoSuchEntityException', 'AccessDenied'],
    flat: ({ r }) => ({ roleName: roleName(r), maxItems: maxResults(r), pathPrefix: '/' }),
    nested: ({ r }) => ({
      roleName: roleName(r),
      policyArn: `arn:aws:iam::${ACCOUNT}:policy/${svc(r)}-access`,
      policyDocument: policyDocument(r, pick(r, ['s3', 'dynamodb', 'sqs']), `arn:aws:s3:::${bucket(r)}`),
      tags: tagList(r, 'key', 'value'),
    }),
    response: ({ r }) => ({ role: { roleName: roleName(r), arn: `arn:aws:iam::${ACCOUNT}:role/${roleName(r)}`, roleId: `AROA${upper(r, 17)}` } }),
  },
  {
    source: 'sts.amazonaws.com',
    weight: 12,
    reads: ['AssumeRole', 'GetCallerIdentity', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'GetSessionToken', 'DecodeAuthorizationMessage', 'GetAccessKeyInfo', 'GetFederationToken'],
    writes: [],
    writeShare: 0,
    invokers: ['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'ec2.amazonaws.com', 'config.amazonaws.com', 'cloudformation.amazonaws.com', 'sso.amazonaws.com'],
    endpoints: true,
    errors: ['AccessDenied', 'ExpiredTokenException', 'InvalidIdentityToken'],
    flat: ({ r }) => ({ roleArn: `arn:aws:iam::${pick(r, [ACCOUNT, ...OTHER_ACCOUNTS])}:role/${roleName(r)}`, roleSessionName: `${svc(r)}-${int(r, 1e9)}`, durationSeconds: 3600 }),
    nested: ({ r }) => ({
      roleArn: `arn:aws:iam::${pick(r, [ACCOUNT, ...OTHER_ACCOUNTS])}:role/${roleName(r)}`,
      roleSessionName: `${svc(r)}-${int(r, 1e9)}`,
      durationSeconds: 3600,
      tags: tagList(r, 'key', 'value'),
      transitiveTagKeys: ['team'],
      policyArns: [{ arn: `arn:aws:iam::${ACCOUNT}:policy/${svc(r)}-session` }],
      sourceIdentity: `${pick(r, TEAMS)}@example.com`,
      providedContexts: [{ providerArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', contextAssertion: { token: hex(r, 48), claims: { aud: 'sts', groups: [pick(r, TEAMS)] } } }],
    }),
    response: ({ r }) => ({
      credentials: { accessKeyId: `ASIA${upper(r, 16)}`, sessionToken: `IQoJb3JpZ2luX2Vj${hex(r, 120)}`, expiration: 'Mar 1, 2024, 1:00:00 PM' },
      assumedRoleUser: { assumedRoleId: `AROA${upper(r, 17)}:${svc(r)}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName(r)}/${svc(r)}` },
    }),
  },
  {
    source: 'kms.amazonaws.com',
    weight: 12,
    reads: ['Decrypt', 'GenerateDataKey', 'Encrypt', 'DescribeKey', 'ListAliases', 'ListKeys', 'GetKeyPolicy', 'GetKeyRotationStatus', 'ListResourceTags',
      'GenerateDataKeyWithoutPlaintext', 'ReEncrypt', 'ListGrants', 'GetPublicKey', 'Sign', 'Verify', 'GenerateRandom'],
    writes: ['CreateGrant', 'RetireGrant', 'TagResource', 'CreateAlias', 'EnableKeyRotation', 'PutKeyPolicy'],
    writeShare: 0.03,
    invokers: ['s3.amazonaws.com', 'secretsmanager.amazonaws.com', 'dynamodb.amazonaws.com', 'ebs.amazonaws.com', 'logs.amazonaws.com', 'sqs.amazonaws.com', 'rds.amazonaws.com'],
    endpoints: true,
    errors: ['AccessDenied', 'InvalidCiphertextException', 'KMSInvalidStateException'],
    flat: ({ r }) => ({
      encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::${bucket(r)}/raw/2024/03/object-${int(r, 1e6)}.parquet` },
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      keyId: kmsKeyArn(r),
    }),
    nested: ({ r }) => ({
      encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::${bucket(r)}/raw/2024/03/object-${int(r, 1e6)}.parquet`, 'aws:ebs:id': `vol-0${hex(r, 16)}` },
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      keyId: kmsKeyArn(r),
      keySpec: 'AES_256',
      constraints: { encryptionContextSubset: { 'aws:lambda:FunctionArn': arn('lambda', `function:${svc(r)}`) } },
      recipient: { keyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', attestationDocument: { moduleId: `i-0${hex(r, 16)}-enc${hex(r, 16)}`, pcrs: { 0: hex(r, 32), 8: hex(r, 32) } } },
    }),
    response: ({ r }) => ({ grantId: hex(r, 64), keyId: kmsKeyArn(r) }),
  },
  {
    source: 'lambda.amazonaws.com',
    weight: 4,
    reads: ['GetFunction20150331v2', 'ListFunctions20150331', 'GetFunctionConfiguration20150331v2', 'ListEventSourceMappings20150331', 'GetPolicy20150331v2',
      'ListVersionsByFunction20150331', 'ListAliases20150331', 'GetAccountSettings20160819', 'ListLayers20181031', 'ListTags20170331', 'GetFunctionUrlConfig',
      'GetFunctionConcurrency', 'GetFunctionCodeSigningConfig'],
    writes: ['UpdateFunctionCode20150331v2', 'UpdateFunctionConfiguration20150331v2', 'PublishVersion20150331', 'AddPermission20150331v2', 'CreateFunction20150331',
      'CreateEventSourceMapping20150331', 'DeleteFunction20150331', 'PutFunctionConcurrency20171031', 'TagResource20170331v2', 'UpdateAlias20150331'],
    writeShare: 0.15,
    invokers: ['cloudformation.amazonaws.com', 'config.amazonaws.com'],
    endpoints: true,
    errors: ['ResourceNotFoundException', 'TooManyRequestsException', 'AccessDenied'],
    flat: ({ r }) => ({ functionName: `${svc(r)}-${env(r)}-handler`, qualifier: '$LATEST', maxItems: maxResults(r) }),
    response: ({ r }, q) => ({ functionName: q.functionName, functionArn: arn('lambda', `function:${String(q.functionName)}`), state: 'Active', lastUpdateStatus: 'InProgress', revisionId: uuid(r) }),
  },
  {
    source: 'dynamodb.amazonaws.com',
    weight: 3,
    reads: ['DescribeTable', 'ListTables', 'DescribeContinuousBackups', 'DescribeTimeToLive', 'ListTagsOfResource', 'DescribeLimits',
      'DescribeKinesisStreamingDestination', 'DescribeContributorInsights', 'ListBackups', 'ListGlobalTables', 'DescribeEndpoints'],
    writes: ['UpdateTable', 'CreateBackup', 'TagResource', 'UpdateTimeToLive', 'CreateTable', 'UpdateContinuousBackups', 'DeleteTable'],
    writeShare: 0.05,
    invokers: ['application-autoscaling.amazonaws.com', 'backup.amazonaws.com', 'cloudformation.amazonaws.com'],
    endpoints: true,
    flat: ({ r }) => ({ tableName: `${svc(r)}-${env(r)}`, limit: maxResults(r) }),
    response: ({ r }, q) => ({ tableDescription: { tableName: q.tableName, tableStatus: 'UPDATING', tableArn: arn('dynamodb', `table/${String(q.tableName)}`), tableId: uuid(r) } }),
  },
  {
    source: 'ecs.amazonaws.com',
    weight: 3,
    reads: ['DescribeServices', 'DescribeTasks', 'ListTasks', 'DescribeTaskDefinition', 'ListServices', 'DescribeClusters', 'ListClusters', 'DiscoverPollEndpoint',
      'ListTaskDefinitions', 'DescribeContainerInstances', 'ListContainerInstances', 'ListTagsForResource'],
    writes: ['SubmitTaskStateChange', 'SubmitContainerStateChange', 'UpdateService', 'RegisterTaskDefinition', 'RunTask', 'StopTask', 'CreateService', 'DeregisterTaskDefinition'],
    writeShare: 0.15,
    invokers: ['ecs.application-autoscaling.amazonaws.com', 'events.amazonaws.com', 'cloudformation.amazonaws.com'],
    endpoints: true,
    flat: ({ r }) => ({ cluster: `${env(r)}-cluster`, services: [svc(r)], include: ['TAGS'] }),
    response: ({ r }, q) => ({ acknowledgment: 'ACK', cluster: q.cluster, taskArn: arn('ecs', `task/${String(q.cluster)}/${hex(r, 32)}`) }),
  },
  {
    source: 'eks.amazonaws.com',
    weight: 1.5,
    reads: ['DescribeCluster', 'ListClusters', 'ListNodegroups', 'DescribeNodegroup', 'ListAddons', 'DescribeAddon', 'DescribeAddonVersions', 'ListFargateProfiles',
      'ListUpdates', 'DescribeUpdate', 'ListAccessEntries', 'ListIdentityProviderConfigs'],
    writes: ['UpdateNodegroupConfig', 'CreateNodegroup', 'CreateAddon', 'UpdateClusterConfig', 'TagResource'],
    writeShare: 0.05,
    invokers: ['cloudformation.amazonaws.com'],
    flat: ({ r }) => ({ name: `${env(r)}-eks`, nodegroupName: `${svc(r)}-${hex(r, 6)}`, maxResults: maxResults(r) }),
    response: ({ r }, q) => ({ update: { id: uuid(r), status: 'InProgress', type: 'ConfigUpdate', nodegroupName: q.nodegroupName } }),
  },
  {
    source: 'cloudformation.amazonaws.com',
    weight: 3,
    reads: ['DescribeStacks', 'DescribeStackEvents', 'ListStacks', 'DescribeStackResources', 'GetTemplate', 'DescribeStackResource', 'GetTemplateSummary',
      'ListStackResources', 'DescribeChangeSet', 'ListExports', 'DescribeStackSet', 'ListStackInstances', 'DescribeType', 'ValidateTemplate', 'ListChangeSets'],
    writes: ['CreateChangeSet', 'ExecuteChangeSet', 'UpdateStack', 'CreateStack', 'DeleteChangeSet', 'DeleteStack', 'SignalResource', 'CreateStackInstances'],
    writeShare: 0.08,
    invokers: ['cloudformation.amazonaws.com'],
    flat: ({ r }) => ({ stackName: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${svc(r)}-${env(r)}/${uuid(r)}`, ...(r() < 0.3 ? { nextToken: nextToken(r) } : {}) }),
    response: ({ r }, q) => ({ stackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${String(q.stackName).split('/')[1] ?? q.stackName}/${uuid(r)}` }),
  },
  {
    source: 'ssm.amazonaws.com',
    weight: 5,
    reads: ['GetParameter', 'GetParameters', 'DescribeInstanceInformation', 'GetParametersByPath', 'DescribeParameters', 'ListAssociations', 'DescribeAssociation',
      'ListCommands', 'ListCommandInvocations', 'GetInventory', 'DescribeInstancePatchStates', 'ListTagsForResource', 'GetDocument', 'DescribeDocument',
      'GetCommandInvocation', 'GetConnectionStatus'],
    writes: ['UpdateInstanceInformation', 'PutInventory', 'UpdateInstanceAssociationStatus', 'PutParameter', 'SendCommand', 'StartSession', 'TerminateSession',
      'DeleteParameter', 'AddTagsToResource', 'PutComplianceItems'],
    writeShare: 0.25,
    invokers: ['ssm.amazonaws.com', 'cloudformation.amazonaws.com'],
    endpoints: true,
    errors: ['ParameterNotFound', 'ThrottlingException'],
    flat: ({ r }) => ({ name: `/app/${svc(r)}/${env(r)}/${pick(r, ['database/url', 'feature-flags', 'api/endpoint', 'queue/url'])}`, withDecryption: r() < 0.5 }),
    response: ({ r }) => ({ version: 1 + int(r, 50), tier: 'Standard' }),
  },
  {
    source: 'secretsmanager.amazonaws.com',
    weight: 3,
    reads: ['GetSecretValue', 'DescribeSecret', 'ListSecrets', 'GetResourcePolicy', 'ListSecretVersionIds', 'GetRandomPassword', 'BatchGetSecretValue'],
    writes: ['PutSecretValue', 'UpdateSecretVersionStage', 'RotateSecret', 'CreateSecret', 'UpdateSecret', 'TagResource', 'PutResourcePolicy'],
    writeShare: 0.04,
    invokers: ['secretsmanager.amazonaws.com', 'rds.amazonaws.com', 'ecs.amazonaws.com', 'lambda.amazonaws.com'],
    endpoints: true,
    errors: ['ResourceNotFoundException', 'AccessDenied'],
    flat: ({ r }) => ({ secretId: arn('secretsmanager', `secret:${svc(r)}/${env(r)}/db-${hex(r, 6)}`), versionStage: 'AWSCURRENT' }),
    response: ({ r }, q) => ({ aRN: q.secretId, name: String(q.secretId).split(':').pop(), versionId: uuid(r) }),
  },
  {
    source: 'route53.amazonaws.com',
    weight: 1.5,
    reads: ['ListResourceRecordSets', 'GetChange', 'ListHostedZones', 'GetHostedZone', 'ListHealthChecks', 'GetHealthCheckStatus', 'ListTagsForResource',
      'ListHostedZonesByName', 'GetHostedZoneCount', 'ListQueryLoggingConfigs'],
    writes: ['ChangeResourceRecordSets', 'ChangeTagsForResource', 'CreateHealthCheck'],
    writeShare: 0.2,
    invokers: ['cloudformation.amazonaws.com'],
    flat: ({ r }) => ({ hostedZoneId: `Z${upper(r, 20)}`, maxItems: String(maxResults(r)), startRecordName: `${svc(r)}.example.com.` }),
    response: ({ r }) => ({ changeInfo: { id: `/change/C${upper(r, 20)}`, status: 'PENDING' } }),
  },
  {
    source: 'elasticloadbalancing.amazonaws.com',
    weight: 2,
    reads: ['DescribeTargetHealth', 'DescribeLoadBalancers', 'DescribeTargetGroups', 'DescribeListeners', 'DescribeRules', 'DescribeTags',
      'DescribeLoadBalancerAttributes', 'DescribeTargetGroupAttributes', 'DescribeSSLPolicies', 'DescribeListenerCertificates'],
    writes: ['RegisterTargets', 'DeregisterTargets', 'ModifyRule', 'CreateRule', 'ModifyTargetGroupAttributes', 'AddTags', 'CreateTargetGroup'],
    writeShare: 0.2,
    invokers: ['ecs.amazonaws.com', 'eks.amazonaws.com', 'autoscaling.amazonaws.com'],
    flat: ({ r }) => ({ targetGroupArn: arn('elasticloadbalancing', `targetgroup/${svc(r)}/${hex(r, 16)}`), pageSize: 400 }),
    nested: ({ r }) => ({
      targetGroupArn: arn('elasticloadbalancing', `targetgroup/${svc(r)}/${hex(r, 16)}`),
      targets: times(r, 1, 4, () => ({ id: privateIp(r), port: 8080, availabilityZone: pick(r, AZS) })),
      conditions: [{ field: 'path-pattern', pathPatternConfig: { values: [`/${pick(r, TEAMS)}/*`] } }, { field: 'http-header', httpHeaderConfig: { httpHeaderName: 'x-tenant', values: [hex(r, 6)] } }],
      actions: [{ type: 'forward', forwardConfig: { targetGroups: [{ targetGroupArn: arn('elasticloadbalancing', `targetgroup/${svc(r)}/${hex(r, 16)}`), weight: 100 }], targetGroupStickinessConfig: { enabled: false } } }],
    }),
    response: ({ r }) => ({ rules: [{ ruleArn: arn('elasticloadbalancing', `listener-rule/app/${svc(r)}/${hex(r, 16)}`), priority: String(int(r, 500)) }] }),
  },
  {
    source: 'rds.amazonaws.com',
    weight: 2,
    reads: ['DescribeDBInstances', 'DescribeDBClusters', 'DescribeDBSnapshots', 'DescribeEvents', 'DescribeDBClusterSnapshots', 'DescribeDBParameterGroups',
      'DescribeDBSubnetGroups', 'DescribeDBEngineVersions', 'DescribeOrderableDBInstanceOptions', 'ListTagsForResource', 'DescribePendingMaintenanceActions',
      'DescribeDBLogFiles', 'DescribeCertificates', 'DescribeDBProxies'],
    writes: ['CreateDBSnapshot', 'CreateDBClusterSnapshot', 'AddTagsToResource', 'ModifyDBInstance', 'RebootDBInstance', 'DeleteDBSnapshot', 'CreateDBInstance'],
    writeShare: 0.05,
    invokers: ['backup.amazonaws.com', 'rds.amazonaws.com', 'cloudformation.amazonaws.com'],
    flat: ({ r }) => ({ dBInstanceIdentifier: `${svc(r)}-${env(r)}-db`, maxRecords: 100 }),
    response: ({ r }, q) => ({ dBSnapshotIdentifier: `rds:${String(q.dBInstanceIdentifier)}-2024-03-01-${int(r, 24)}-00`, status: 'creating', engine: 'postgres' }),
  },
  {
    source: 'sqs.amazonaws.com',
    weight: 2,
    reads: ['GetQueueAttributes', 'ListQueues', 'GetQueueUrl', 'ListQueueTags', 'ListDeadLetterSourceQueues'],
    writes: ['SetQueueAttributes', 'TagQueue', 'CreateQueue', 'PurgeQueue', 'DeleteQueue'],
    writeShare: 0.05,
    invokers: ['lambda.amazonaws.com', 'cloudformation.amazonaws.com'],
    endpoints: true,
    flat: ({ r }) => ({ queueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${svc(r)}-${env(r)}`, attributeNames: ['All'] }),
    nested: ({ r }) => ({
      queueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${svc(r)}-${env(r)}`,
      attributes: { RedrivePolicy: { deadLetterTargetArn: arn('sqs', `${svc(r)}-dlq`), maxReceiveCount: 5 }, Policy: policyDocument(r, 'sqs', arn('sqs', svc(r))), KmsMasterKeyId: kmsKeyArn(r) },
      tags: Object.fromEntries(tagList(r).map((t) => [t.key, t.value])),
    }),
    response: ({ r }) => ({ queueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${svc(r)}` }),
  },
  {
    source: 'sns.amazonaws.com',
    weight: 2,
    reads: ['GetTopicAttributes', 'ListTopics', 'ListSubscriptionsByTopic', 'ListSubscriptions', 'GetSubscriptionAttributes', 'ListTagsForResource', 'GetSMSAttributes', 'GetDataProtectionPolicy'],
    writes: ['Subscribe', 'SetTopicAttributes', 'CreateTopic', 'ConfirmSubscription', 'Unsubscribe', 'TagResource'],
    writeShare: 0.05,
    invokers: ['cloudformation.amazonaws.com', 'cloudwatch.amazonaws.com'],
    endpoints: true,
    flat: ({ r }) => ({ topicArn: arn('sns', `${svc(r)}-${env(r)}-events`) }),
    nested: ({ r }) => ({
      topicArn: arn('sns', `${svc(r)}-${env(r)}-events`),
      attributes: { Policy: policyDocument(r, 'sns', arn('sns', svc(r))), DeliveryPolicy: { http: { defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, backoffFunction: 'linear' } } } },
      subscriptionAttributes: { FilterPolicy: { eventType: [{ prefix: 'order.' }], amount: [{ numeric: ['>', 100] }] } },
    }),
    response: ({ r }) => ({ subscriptionArn: arn('sns', `${svc(r)}:${uuid(r)}`) }),
  },
  {
    source: 'glue.amazonaws.com',
    weight: 2,
    reads: ['GetTable', 'GetPartitions', 'GetDatabase', 'GetTables', 'GetDatabases', 'GetPartition', 'GetCrawler', 'GetCrawlers', 'GetJob', 'GetJobs', 'GetJobRun',
      'GetJobRuns', 'GetConnection', 'SearchTables', 'GetUserDefinedFunctions', 'GetDataCatalogEncryptionSettings'],
    writes: ['BatchCreatePartition', 'StartJobRun', 'StartCrawler', 'UpdateTable', 'CreateTable', 'BatchDeletePartition', 'UpdateCrawler', 'CreatePartition'],
    writeShare: 0.1,
    invokers: ['athena.amazonaws.com', 'lakeformation.amazonaws.com', 'glue.amazonaws.com'],
    flat: ({ r }) => ({ databaseName: `${pick(r, TEAMS)}_analytics`, name: `${pick(r, TEAMS)}_events`, catalogId: ACCOUNT }),
    nested: ({ r }) => ({
      databaseName: `${pick(r, TEAMS)}_analytics`,
      tableInput: {
        name: `${pick(r, TEAMS)}_events`,
        storageDescriptor: {
          columns: times(r, 3, 8, (i) => ({ name: `col_${i}`, type: pick(r, ['string', 'bigint', 'timestamp', 'struct<a:string,b:int>']) })),
          location: `s3://${bucket(r)}/tables/events/`,
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', parameters: { 'serialization.format': '1' } },
        },
        partitionKeys: [{ name: 'dt', type: 'string' }],
        parameters: { 'classification': 'parquet', 'projection.enabled': 'true' },
      },
    }),
    response: ({ r }) => ({ jobRunId: `jr_${hex(r, 64)}` }),
  },
  {
    source: 'athena.amazonaws.com',
    weight: 2,
    reads: ['GetQueryExecution', 'GetQueryResults', 'ListQueryExecutions', 'GetWorkGroup', 'ListWorkGroups', 'ListDataCatalogs', 'GetDataCatalog', 'ListDatabases',
      'GetTableMetadata', 'ListTableMetadata', 'BatchGetQueryExecution', 'ListNamedQueries'],
    writes: ['StartQueryExecution', 'StopQueryExecution', 'CreateNamedQuery', 'UpdateWorkGroup'],
    writeShare: 0.2,
    invokers: ['quicksight.amazonaws.com'],
    endpoints: true,
    flat: ({ r }) => ({ queryExecutionId: uuid(r), workGroup: pick(r, ['primary', 'analysts', 'etl']) }),
    response: ({ r }) => ({ queryExecutionId: uuid(r) }),
  },
  {
    source: 'config.amazonaws.com',
    weight: 2,
    reads: ['DescribeConfigRules', 'DescribeConfigurationRecorderStatus', 'DescribeConfigurationRecorders', 'DescribeDeliveryChannels', 'DescribeComplianceByConfigRule',
      'GetComplianceDetailsByConfigRule', 'GetResourceConfigHistory', 'ListDiscoveredResources', 'DescribeConfigRuleEvaluationStatus', 'SelectResourceConfig',
      'BatchGetResourceConfig', 'DescribeConformancePacks'],
    writes: ['PutEvaluations', 'StartConfigRulesEvaluation', 'PutConfigRule', 'TagResource'],
    writeShare: 0.2,
    invokers: ['config.amazonaws.com', 'securityhub.amazonaws.com'],
    flat: ({ r }) => ({ configRuleNames: [`securityhub-${pick(r, ['s3-bucket-ssl', 'iam-root-access-key', 'ec2-imdsv2', 'rds-encrypted'])}-${hex(r, 6)}`] }),
    nested: ({ r }) => ({
      evaluations: times(r, 1, 4, () => ({ complianceResourceType: pick(r, ['AWS::S3::Bucket', 'AWS::EC2::Instance', 'AWS::IAM::Role']), complianceResourceId: hex(r, 17), complianceType: pick(r, ['COMPLIANT', 'NON_COMPLIANT']), orderingTimestamp: 'Mar 1, 2024, 12:00:00 PM' })),
      resultToken: hex(r, 120),
      configRule: { configRuleName: `securityhub-${hex(r, 6)}`, source: { owner: 'AWS', sourceIdentifier: 'S3_BUCKET_SSL_REQUESTS_ONLY', sourceDetails: [{ eventSource: 'aws.config', messageType: 'ConfigurationItemChangeNotification' }] }, scope: { complianceResourceTypes: ['AWS::S3::Bucket'] } },
    }),
    response: ({ r }) => ({ failedEvaluations: [], requestId: uuid(r) }),
  },
  {
    source: 'monitoring.amazonaws.com',
    weight: 4,
    reads: ['DescribeAlarms', 'GetMetricData', 'ListMetrics', 'GetMetricStatistics', 'DescribeAlarmHistory', 'GetDashboard', 'ListDashboards', 'DescribeAlarmsForMetric',
      'ListTagsForResource', 'DescribeAnomalyDetectors', 'GetMetricWidgetImage', 'DescribeInsightRules'],
    writes: ['PutMetricAlarm', 'SetAlarmState', 'PutDashboard', 'DeleteAlarms', 'PutCompositeAlarm', 'TagResource', 'EnableAlarmActions'],
    writeShare: 0.05,
    invokers: ['cloudformation.amazonaws.com', 'application-autoscaling.amazonaws.com'],
    endpoints: true,
    flat: ({ r }) => ({ alarmNames: [`${svc(r)}-errors`], maxRecords: 100, namespace: pick(r, ['AWS/Lambda', 'AWS/EC2', 'AWS/SQS', 'AWS/ApplicationELB']) }),
    nested: ({ r }) => ({
      metricDataQueries: times(r, 1, 4, (i) => ({ id: `m${i}`, metricStat: { metric: { namespace: pick(r, ['AWS/Lambda', 'AWS/EC2', 'AWS/SQS']), metricName: pick(r, ['Errors', 'CPUUtilization', 'ApproximateAgeOfOldestMessage']), dimensions: [{ name: 'ServiceName', value: svc(r) }] }, period: 300, stat: 'Average' } })),
      startTime: 'Mar 1, 2024, 11:00:00 AM',
      endTime: 'Mar 1, 2024, 12:00:00 PM',
    }),
    response: () => ({}),
  },
  {
    source: 'logs.amazonaws.com',
    weight: 4,
    reads: ['DescribeLogGroups', 'DescribeLogStreams', 'FilterLogEvents', 'GetLogEvents', 'StartQuery', 'GetQueryResults', 'DescribeMetricFilters', 'DescribeSubscriptionFilters',
      'DescribeQueries', 'ListTagsLogGroup', 'DescribeResourcePolicies', 'DescribeExportTasks', 'GetLogGroupFields', 'DescribeDestinations'],
    writes: ['CreateLogStream', 'CreateLogGroup', 'PutRetentionPolicy', 'PutSubscriptionFilter', 'PutMetricFilter', 'TagLogGroup', 'CreateExportTask', 'AssociateKmsKey', 'DeleteLogGroup'],
    writeShare: 0.1,
    invokers: ['lambda.amazonaws.com', 'cloudformation.amazonaws.com'],
    endpoints: true,
    flat: ({ r }) => ({ logGroupName: `/aws/lambda/${svc(r)}`, limit: 50, startFromHead: false }),
    response: ({ r }) => ({ queryId: uuid(r) }),
  },
  {
    source: 'organizations.amazonaws.com',
    weight: 1,
    reads: ['DescribeOrganization', 'ListAccounts', 'DescribeAccount', 'ListRoots', 'ListOrganizationalUnitsForParent', 'ListPolicies', 'DescribePolicy',
      'ListTargetsForPolicy', 'ListAWSServiceAccessForOrganization', 'ListDelegatedAdministrators', 'ListParents', 'ListChildren', 'ListTagsForResource',
      'DescribeOrganizationalUnit', 'ListAccountsForParent', 'DescribeEffectivePolicy', 'ListPoliciesForTarget'],
    writes: [],
    writeShare: 0,
    invokers: ['sso.amazonaws.com', 'config.amazonaws.com', 'securityhub.amazonaws.com', 'guardduty.amazonaws.com'],
    flat: ({ r }) => ({ accountId: pick(r, OTHER_ACCOUNTS), parentId: `ou-${hex(r, 4)}-${hex(r, 8)}`, filter: 'SERVICE_CONTROL_POLICY' }),
    response: () => ({}),
  },
  {
    source: 'sso.amazonaws.com',
    weight: 1.5,
    reads: ['GetRoleCredentials', 'ListAccounts', 'ListAccountRoles', 'ListPermissionSets', 'DescribePermissionSet', 'ListAccountAssignments', 'ListInstances',
      'ListManagedPoliciesInPermissionSet', 'DescribePermissionSetProvisioningStatus', 'GetInlinePolicyForPermissionSet', 'ListPermissionSetsProvisionedToAccount'],
    writes: ['Federate', 'CreateAccountAssignment', 'ProvisionPermissionSet'],
    writeShare: 0.1,
    invokers: ['sso.amazonaws.com'],
    flat: ({ r }) => ({ instanceArn: `arn:aws:sso:::instance/ssoins-${hex(r, 16)}`, permissionSetArn: `arn:aws:sso:::permissionSet/ssoins-${hex(r, 16)}/ps-${hex(r, 16)}`, accountId: pick(r, OTHER_ACCOUNTS) }),
    response: ({ r }) => ({ accountAssignmentCreationStatus: { status: 'IN_PROGRESS', requestId: uuid(r) } }),
  },
  {
    source: 'ecr.amazonaws.com',
    weight: 3,
    reads: ['GetAuthorizationToken', 'BatchGetImage', 'BatchCheckLayerAvailability', 'GetDownloadUrlForLayer', 'DescribeRepositories', 'DescribeImages', 'ListImages',
      'DescribeImageScanFindings', 'GetLifecyclePolicy', 'GetRepositoryPolicy', 'ListTagsForResource'],
    writes: ['InitiateLayerUpload', 'UploadLayerPart', 'CompleteLayerUpload', 'PutImage', 'CreateRepository', 'PutLifecyclePolicy', 'BatchDeleteImage'],
    writeShare: 0.08,
    invokers: ['ecs-tasks.amazonaws.com', 'eks.amazonaws.com', 'lambda.amazonaws.com'],
    endpoints: true,
    flat: ({ r }) => ({ repositoryName: svc(r), registryId: ACCOUNT, imageIds: [{ imageTag: hex(r, 7) }] }),
    response: ({ r }, q) => ({ image: { registryId: ACCOUNT, repositoryName: q.repositoryName, imageId: { imageDigest: `sha256:${hex(r, 64)}`, imageTag: hex(r, 7) } } }),
  },
  {
    source: 'autoscaling.amazonaws.com',
    weight: 1.5,
    reads: ['DescribeAutoScalingGroups', 'DescribeAutoScalingInstances', 'DescribeScalingActivities', 'DescribeLaunchConfigurations', 'DescribePolicies',
      'DescribeLifecycleHooks', 'DescribeScheduledActions', 'DescribeTags', 'DescribeWarmPool'],
    writes: ['CompleteLifecycleAction', 'SetDesiredCapacity', 'RecordLifecycleActionHeartbeat', 'UpdateAutoScalingGroup', 'PutScalingPolicy', 'SetInstanceHealth'],
    writeShare: 0.15,
    invokers: ['eks.amazonaws.com', 'application-autoscaling.amazonaws.com'],
    flat: ({ r }) => ({ autoScalingGroupNames: [`${svc(r)}-asg`], maxRecords: 100 }),
    response: () => ({}),
  },
  {
    source: 'events.amazonaws.com',
    weight: 1.5,
    reads: ['ListRules', 'DescribeRule', 'ListTargetsByRule', 'DescribeEventBus', 'ListEventBuses', 'ListTagsForResource', 'ListArchives'],
    writes: ['PutTargets', 'PutRule', 'RemoveTargets', 'DeleteRule', 'EnableRule', 'DisableRule', 'PutPermission'],
    writeShare: 0.08,
    invokers: ['cloudformation.amazonaws.com'],
    flat: ({ r }) => ({ name: `${svc(r)}-schedule`, eventBusName: 'default', namePrefix: pick(r, TEAMS) }),
    response: ({ r }) => ({ ruleArn: arn('events', `rule/${svc(r)}-schedule`), failedEntryCount: 0, failedEntries: [] }),
  },
  {
    source: 'states.amazonaws.com',
    weight: 1,
    reads: ['DescribeExecution', 'DescribeStateMachine', 'ListExecutions', 'ListStateMachines', 'GetExecutionHistory', 'ListActivities', 'ListTagsForResource'],
    writes: ['StartExecution', 'StopExecution', 'UpdateStateMachine', 'CreateStateMachine', 'TagResource'],
    writeShare: 0.2,
    invokers: ['events.amazonaws.com', 'states.amazonaws.com'],
    flat: ({ r }) => ({ stateMachineArn: arn('states', `stateMachine:${svc(r)}-workflow`), maxResults: maxResults(r) }),
    response: ({ r }) => ({ executionArn: arn('states', `execution:${svc(r)}-workflow:${uuid(r)}`), startDate: 'Mar 1, 2024, 12:00:00 PM' }),
  },
  {
    source: 'apigateway.amazonaws.com',
    weight: 1,
    reads: ['GetRestApis', 'GetRestApi', 'GetResources', 'GetStages', 'GetStage', 'GetDeployments', 'GetMethod', 'GetIntegration', 'GetAuthorizers', 'GetDomainNames',
      'GetUsagePlans', 'GetApiKeys'],
    writes: ['CreateDeployment', 'UpdateStage', 'PutIntegration', 'PutMethod', 'CreateResource'],
    writeShare: 0.1,
    invokers: ['cloudformation.amazonaws.com'],
    flat: ({ r }) => ({ restApiId: hex(r, 10), stageName: env(r), limit: 500 }),
    response: ({ r }) => ({ id: hex(r, 6), createdDate: 'Mar 1, 2024, 12:00:00 PM' }),
  },
  {
    source: 'cloudtrail.amazonaws.com',
    weight: 1,
    reads: ['LookupEvents', 'DescribeTrails', 'GetTrailStatus', 'GetEventSelectors', 'ListTrails', 'GetTrail', 'GetInsightSelectors', 'ListTags', 'ListEventDataStores', 'GetEventDataStore'],
    writes: [],
    writeShare: 0,
    invokers: ['config.amazonaws.com', 'securityhub.amazonaws.com'],
    flat: ({ r }) => ({ trailNameList: [], includeShadowTrails: true, maxResults: maxResults(r) }),
    nested: ({ r }) => ({
      lookupAttributes: [{ attributeKey: 'EventName', attributeValue: pick(r, ['RunInstances', 'DescribeInstances', 'PutObject']) }],
      startTime: 'Mar 1, 2024, 11:00:00 AM',
      endTime: 'Mar 1, 2024, 12:00:00 PM',
      advancedEventSelectors: [{ name: 'mgmt', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }, { field: 'readOnly', equals: ['false'] }] }],
    }),
    response: () => ({}),
  },
  {
    source: 'elasticache.amazonaws.com',
    weight: 0.5,
    reads: ['DescribeCacheClusters', 'DescribeReplicationGroups', 'DescribeCacheSubnetGroups', 'DescribeCacheParameterGroups', 'DescribeSnapshots', 'DescribeEvents',
      'DescribeServiceUpdates'],
    writes: ['CreateSnapshot', 'ModifyReplicationGroup', 'AddTagsToResource'],
    writeShare: 0.05,
    invokers: ['elasticache.amazonaws.com'],
    flat: ({ r }) => ({ replicationGroupId: `${svc(r)}-cache`, showCacheNodeInfo: true, maxRecords: 100 }),
    response: ({ r }, q) => ({ snapshotName: `${String(q.replicationGroupId)}-${hex(r, 6)}`, snapshotStatus: 'creating' }),
  },
  {
    source: 'cloudfront.amazonaws.com',
    weight: 0.5,
    reads: ['ListDistributions', 'GetDistribution', 'GetDistributionConfig', 'ListCachePolicies', 'ListInvalidations', 'GetInvalidation'],
    writes: ['CreateInvalidation', 'UpdateDistribution'],
    writeShare: 0.2,
    invokers: ['cloudformation.amazonaws.com'],
    flat: ({ r }) => ({ id: `E${upper(r, 13)}`, maxItems: '100' }),
    nested: ({ r }) => ({
      distributionId: `E${upper(r, 13)}`,
      invalidationBatch: { paths: { quantity: 2, items: [`/${pick(r, TEAMS)}/*`, '/index.html'] }, callerReference: uuid(r) },
    }),
    response: ({ r }) => ({ location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/E${upper(r, 13)}/invalidation/I${upper(r, 13)}`, invalidation: { id: `I${upper(r, 13)}`, status: 'InProgress' } }),
  },
  {
    source: 'acm.amazonaws.com',
    weight: 0.5,
    reads: ['DescribeCertificate', 'ListCertificates', 'GetCertificate', 'ListTagsForCertificate'],
    writes: ['RequestCertificate', 'AddTagsToCertificate'],
    writeShare: 0.05,
    invokers: ['elasticloadbalancing.amazonaws.com', 'cloudfront.amazonaws.com'],
    flat: ({ r }) => ({ certificateArn: arn('acm', `certificate/${uuid(r)}`) }),
    response: ({ r }) => ({ certificateArn: arn('acm', `certificate/${uuid(r)}`) }),
  },
  {
    source: 'guardduty.amazonaws.com',
    weight: 1,
    reads: ['ListDetectors', 'GetDetector', 'ListFindings', 'GetFindings', 'GetFindingsStatistics', 'ListMembers', 'GetMasterAccount', 'GetAdministratorAccount'],
    writes: ['ArchiveFindings', 'UpdateFindingsFeedback'],
    writeShare: 0.05,
    invokers: ['securityhub.amazonaws.com'],
    flat: ({ r }) => ({ detectorId: hex(r, 32), maxResults: 50 }),
    nested: ({ r }) => ({
      detectorId: hex(r, 32),
      findingCriteria: { criterion: { 'severity': { gte: 4 }, 'service.archived': { eq: ['false'] }, 'type': { neq: ['Recon:EC2/PortProbeUnprotectedPort'] } } },
      sortCriteria: { attributeName: 'updatedAt', orderBy: 'DESC' },
    }),
    response: () => ({}),
  },
  {
    source: 'securityhub.amazonaws.com',
    weight: 1,
    reads: ['GetFindings', 'DescribeHub', 'GetEnabledStandards', 'DescribeStandardsControls', 'GetInsights', 'DescribeProducts', 'ListEnabledProductsForImport'],
    writes: ['BatchImportFindings', 'BatchUpdateFindings'],
    writeShare: 0.3,
    invokers: ['securityhub.amazonaws.com', 'config.amazonaws.com', 'guardduty.amazonaws.com'],
    flat: ({ r }) => ({ maxResults: 100, hubArn: arn('securityhub', 'hub/default'), standardsSubscriptionArn: arn('securityhub', `subscription/cis-aws-foundations-benchmark/v/3.0.0/${hex(r, 4)}`) }),
    nested: ({ r }) => ({
      filters: { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }], ComplianceStatus: [{ Value: 'FAILED', Comparison: 'EQUALS' }], SeverityLabel: [{ Value: pick(r, ['HIGH', 'CRITICAL']), Comparison: 'EQUALS' }] },
      sortCriteria: [{ Field: 'UpdatedAt', SortOrder: 'desc' }],
      maxResults: 100,
    }),
    response: () => ({ failedCount: 0, successCount: 1 }),
  },
  {
    source: 'kinesis.amazonaws.com',
    weight: 0.8,
    reads: ['DescribeStreamSummary', 'DescribeStream', 'ListShards', 'ListStreams', 'DescribeStreamConsumer', 'ListTagsForStream'],
    writes: ['UpdateShardCount', 'AddTagsToStream', 'RegisterStreamConsumer'],
    writeShare: 0.05,
    invokers: ['lambda.amazonaws.com', 'firehose.amazonaws.com'],
    flat: ({ r }) => ({ streamName: `${svc(r)}-events`, streamARN: arn('kinesis', `stream/${svc(r)}-events`) }),
    response: () => ({}),
  },
  {
    source: 'health.amazonaws.com',
    weight: 0.4,
    reads: ['DescribeEvents', 'DescribeEventDetails', 'DescribeAffectedEntities', 'DescribeEventAggregates'],
    writes: [],
    writeShare: 0,
    invokers: ['trustedadvisor.amazonaws.com'],
    flat: ({ r }) => ({ filter: { eventStatusCodes: ['open', 'upcoming'] }, maxResults: maxResults(r) }),
    response: () => ({}),
  },
  {
    source: 'ce.amazonaws.com',
    weight: 0.3,
    reads: ['GetCostAndUsage', 'GetCostForecast', 'GetDimensionValues', 'GetReservationUtilization', 'GetSavingsPlansUtilization'],
    writes: [],
    writeShare: 0,
    invokers: [],
    flat: () => ({ timePeriod: { start: '2024-02-01', end: '2024-03-01' }, granularity: 'DAILY', metrics: ['UnblendedCost'] }),
    response: () => ({}),
  },
];

/** The families, for statistics. */
export const EVENT_FAMILIES: ReadonlyArray<{ source: string; names: string[] }> = FAMILIES.map((f) => ({
  source: f.source,
  names: [...f.reads, ...f.writes],
}));

const TOTAL_WEIGHT = FAMILIES.reduce((sum, f) => sum + f.weight, 0);

function pickFamily(r: Rand): Family {
  let x = r() * TOTAL_WEIGHT;
  for (const family of FAMILIES) {
    x -= family.weight;
    if (x < 0) return family;
  }
  return FAMILIES[FAMILIES.length - 1];
}

// ---- identities ----------------------------------------------------------------------------------------------------

const USER_AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79-99.167.amzn2023.x86_64 exe/x86_64.amzn.2023 prompt/off command/ec2.describe-instances',
  'aws-sdk-js/3.540.0 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 lang/js md/nodejs#20.11.1 api/s3#3.540.0',
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210-201.852.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
  'aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.150.0',
  'aws-sdk-java/2.25.16 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.2+13-LTS Java/21.0.2 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/legacy',
  'Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.41.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.3',
  'aws-cdk/2.133.0 (+https://github.com/aws/aws-cdk) aws-sdk-js/2.1580.0 promise',
];
const CONSOLE_AGENT = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36';
const PERMISSION_SETS = ['AWSReservedSSO_PowerUser_0123456789abcdef', 'AWSReservedSSO_ReadOnly_fedcba9876543210', 'AWSReservedSSO_Developer_00aa11bb22cc33dd'];
const HUMANS = Array.from({ length: 60 }, (_, i) => `${['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'][i % 10]}.${i}@example.com`);

interface Caller {
  readonly userIdentity: Record<string, unknown>;
  readonly sourceIPAddress: string;
  readonly userAgent: string;
  readonly console: boolean;
  readonly service?: string;
  readonly privateNetwork: boolean;
}

function sessionContext(
  r: Rand, issuerType: string, issuerName: string, issuerArn: string, mfa: boolean, extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    sessionIssuer: { type: issuerType, principalId: `AROA${upper(r, 17)}`, arn: issuerArn, accountId: ACCOUNT, userName: issuerName },
    webIdFederationData: {},
    attributes: { creationDate: `2024-03-01T${String(int(r, 24)).padStart(2, '0')}:${String(int(r, 60)).padStart(2, '0')}:00Z`, mfaAuthenticated: mfa ? 'true' : 'false' },
    ...extra,
  };
}

/** The userIdentity of a role session (`AssumedRole`): the random draws in the order the generator has always made them. */
function assumedRole(r: Rand, role: string, session: string, issuerArn: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'AssumedRole',
    principalId: `AROA${upper(r, 17)}:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    accountId: ACCOUNT,
    accessKeyId: `ASIA${upper(r, 16)}`,
    sessionContext: sessionContext(r, 'Role', role, issuerArn, false, extra),
  };
}

function caller(r: Rand, family: Family, eventName: string): Caller {
  const publicIp = () => `${pick(r, ['203.0.113', '198.51.100', '192.0.2'])}.${int(r, 255)}`;
  if (eventName === 'AssumeRoleWithSAML') {
    const user = pick(r, HUMANS);
    return {
      userIdentity: { type: 'SAMLUser', principalId: `${hex(r, 28)}:${user}`, userName: user, identityProvider: `${hex(r, 28)}` },
      sourceIPAddress: publicIp(),
      userAgent: CONSOLE_AGENT,
      console: true,
      privateNetwork: false,
    };
  }
  if (eventName === 'AssumeRoleWithWebIdentity') {
    return {
      userIdentity: {
        type: 'WebIdentityUser',
        principalId: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/${upper(r, 32)}:sts.amazonaws.com:system:serviceaccount:${pick(r, TEAMS)}:${svc(r)}`,
        userName: `system:serviceaccount:${pick(r, TEAMS)}:${svc(r)}`,
        identityProvider: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/${upper(r, 32)}`,
      },
      sourceIPAddress: privateIp(r),
      userAgent: USER_AGENTS[4],
      console: false,
      privateNetwork: true,
    };
  }
  const x = r();
  if (x < 0.14 && family.invokers.length > 0) {
    // A service acting for the account (AWSService with invokedBy; no tlsDetails, sharedEventID on cross-account calls).
    const service = pick(r, family.invokers);
    return { userIdentity: { type: 'AWSService', invokedBy: service }, sourceIPAddress: service, userAgent: service, console: false, service, privateNetwork: false };
  }
  if (x < 0.22 && family.invokers.length > 0) {
    // A role's session used by a service on its behalf (CloudFormation deploying, Config recording...).
    const service = pick(r, family.invokers);
    const role = `cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`;
    const session = `${pick(r, ['AWSCloudFormation', 'AWSConfig-Describe', 'SecurityHubSession'])}`;
    return {
      userIdentity: { ...assumedRole(r, role, session, `arn:aws:iam::${ACCOUNT}:role/${role}`), invokedBy: service },
      sourceIPAddress: service,
      userAgent: service,
      console: false,
      service,
      privateNetwork: false,
    };
  }
  if (x < 0.50) {
    // Workloads: Lambda, ECS tasks, EC2 instances with their roles, from private addresses (some through VPC endpoints).
    const role = roleName(r);
    const onEc2 = r() < 0.3;
    const session = onEc2 ? instanceId(r) : pick(r, [`${svc(r)}-handler`, hex(r, 32), `botocore-session-${int(r, 1e10)}`]);
    return {
      userIdentity: assumedRole(r, role, session, `arn:aws:iam::${ACCOUNT}:role/${role}`, onEc2 ? { ec2RoleDelivery: '2.0' } : {}),
      sourceIPAddress: privateIp(r),
      userAgent: pick(r, USER_AGENTS.slice(1, 5)),
      console: false,
      privateNetwork: true,
    };
  }
  if (x < 0.82) {
    // People through IAM Identity Center, in the console or with the CLI.
    const user = pick(r, HUMANS);
    const set = pick(r, PERMISSION_SETS);
    const inConsole = r() < 0.4;
    return {
      userIdentity: assumedRole(r, set, user, `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/${set}`),
      sourceIPAddress: publicIp(),
      userAgent: inConsole ? CONSOLE_AGENT : pick(r, [USER_AGENTS[0], USER_AGENTS[5], USER_AGENTS[6]]),
      console: inConsole,
      privateNetwork: false,
    };
  }
  if (x < 0.95) {
    // Long-lived IAM users (CI systems, third-party tools).
    const user = pick(r, ['ci-deployer', 'datadog-integration', 'terraform-cloud', 'backup-tool', 'legacy-app']);
    return {
      userIdentity: { type: 'IAMUser', principalId: `AIDA${upper(r, 17)}`, arn: `arn:aws:iam::${ACCOUNT}:user/${user}`, accountId: ACCOUNT, accessKeyId: `AKIA${upper(r, 16)}`, userName: user },
      sourceIPAddress: publicIp(),
      userAgent: pick(r, USER_AGENTS),
      console: false,
      privateNetwork: false,
    };
  }
  // Another account of the organization (AWSAccount: cross-account access through a resource policy).
  const other = pick(r, OTHER_ACCOUNTS);
  return {
    userIdentity: { type: 'AWSAccount', principalId: `AROA${upper(r, 17)}:${svc(r)}`, accountId: other },
    sourceIPAddress: publicIp(),
    userAgent: pick(r, USER_AGENTS),
    console: false,
    privateNetwork: false,
  };
}

// ---- records -------------------------------------------------------------------------------------------------------

const COMMON_ERRORS = ['AccessDenied', 'ThrottlingException', 'ValidationException', 'ResourceNotFoundException'];
const ERROR_MESSAGES: Record<string, string> = {
  AccessDenied: 'User is not authorized to perform this action because no identity-based policy allows the action',
  ThrottlingException: 'Rate exceeded',
  ValidationException: '1 validation error detected: Value null at \'name\' failed to satisfy constraint: Member must not be null',
  ResourceNotFoundException: 'The specified resource does not exist.',
};

/** One everyday management event (before the ids and the time, which corpus.ts sets). */
export function everydayRecord(r: Rand, variant: Variant): Record<string, unknown> {
  const family = pickFamily(r);
  const write = family.writes.length > 0 && r() < family.writeShare;
  const names = write ? family.writes : family.reads;
  const name = names[zipf(r, names.length)];
  const c: Ctx = { r, name, variant };
  const who = caller(r, family, name);
  const special = variant === 'nested' ? NESTED_REQUEST[name] : undefined;
  let request: Record<string, unknown>;
  if (special) request = special(c);
  else if (variant === 'nested') request = family.nested ? family.nested(c) : { ...family.flat(c), ...jsonApiExtras(r) };
  else request = family.flat(c);
  // Some calls carry no parameters at all (ListBuckets, GetCallerIdentity, DescribeRegions...): CloudTrail writes null.
  if (!special && r() < 0.08) request = null as unknown as Record<string, unknown>;

  const failed = r() < 0.04;
  const errorCode = failed ? pick(r, [...COMMON_ERRORS, ...(family.errors ?? [])]) : undefined;
  let response: Record<string, unknown> | null = null;
  if (write && !failed) {
    const deep = variant === 'nested' ? NESTED_RESPONSE[name] : undefined;
    response = deep ? deep(c, request ?? {}) : family.response(c, request ?? {});
  } else if (!failed && family.source === 'sts.amazonaws.com' && name.startsWith('AssumeRole')) {
    response = family.response(c, request ?? {});
  }

  const record: Record<string, unknown> = {
    eventVersion: pick(r, ['1.08', '1.09', '1.10']),
    userIdentity: who.userIdentity,
    eventTime: '',
    eventSource: family.source,
    eventName: name,
    awsRegion: family.source === 'route53.amazonaws.com' || family.source === 'iam.amazonaws.com' || family.source === 'cloudfront.amazonaws.com' ? 'us-east-1' : REGION,
    sourceIPAddress: who.sourceIPAddress,
    userAgent: who.userAgent,
  };
  if (errorCode) {
    record.errorCode = errorCode;
    record.errorMessage = ERROR_MESSAGES[errorCode] ?? `${errorCode}: the request could not be completed`;
  }
  record.requestParameters = request;
  record.responseElements = response;
  if (family.source === 's3.amazonaws.com') {
    record.additionalEventData = {
      'SignatureVersion': 'SigV4',
      'CipherSuite': 'TLS_AES_128_GCM_SHA256',
      'bytesTransferredIn': 0,
      'AuthenticationMethod': 'AuthHeader',
      'x-amz-id-2': `${hex(r, 60)}=`,
      'bytesTransferredOut': int(r, 2000),
    };
  } else if (who.console && r() < 0.5) {
    record.additionalEventData = { 'aws:ConsoleSession': 'true' };
  } else if (family.source === 'kms.amazonaws.com' && r() < 0.3) {
    record.additionalEventData = { keyMaterialId: hex(r, 64) };
  }
  record.requestID = '';
  record.eventID = '';
  record.readOnly = !write;
  if (write || family.source === 'kms.amazonaws.com' || family.source === 'sts.amazonaws.com') {
    record.resources = [{ accountId: ACCOUNT, type: `AWS::${family.source.split('.')[0].toUpperCase()}::Resource`, ARN: arn(family.source.split('.')[0], `${svc(r)}/${hex(r, 12)}`) }];
  }
  record.eventType = 'AwsApiCall';
  record.managementEvent = true;
  record.recipientAccountId = ACCOUNT;
  if (who.service && who.userIdentity.type === 'AWSService') record.sharedEventID = uuid(r);
  if (who.privateNetwork && family.endpoints && r() < 0.6) {
    record.vpcEndpointId = `vpce-0${hex(r, 16)}`;
    record.vpcEndpointAccountId = ACCOUNT;
  }
  record.eventCategory = 'Management';
  if (!who.service) {
    record.tlsDetails = { tlsVersion: pick(r, ['TLSv1.3', 'TLSv1.2']), cipherSuite: pick(r, ['TLS_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256']), clientProvidedHostHeader: `${family.source.split('.')[0]}.${REGION}.amazonaws.com` };
  }
  if (who.console) record.sessionCredentialFromConsole = 'true';
  return record;
}
