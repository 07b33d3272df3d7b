// The tables the Trino dialects query, as AWS documents them, and how each CloudTrail record field maps to a column.
//
// Athena: "Create the table for CloudTrail logs in Athena using partition projection" (Amazon Athena User Guide,
// create-cloudtrail-table-partition-projection). The DDL below is that page's statement with its placeholders.
// CloudTrail Lake: "Supported SQL schemas for event data stores" (AWS CloudTrail User Guide,
// query-supported-event-schemas): maps for requestParameters, responseElements, additionalEventData and
// serviceEventDetails, a timestamp eventTime and booleans for readOnly and managementEvent.

/** The AWS-documented DDL of the CloudTrail table with partition projection (placeholders as in the guide). */
export const ATHENA_CLOUDTRAIL_DDL = `CREATE EXTERNAL TABLE cloudtrail_logs_pp(
    eventversion STRING,
    useridentity STRUCT<
        type: STRING,
        principalid: STRING,
        arn: STRING,
        accountid: STRING,
        invokedby: STRING,
        accesskeyid: STRING,
        username: STRING,
        onbehalfof: STRUCT<
             userid: STRING,
             identitystorearn: STRING>,
        sessioncontext: STRUCT<
            attributes: STRUCT<
                mfaauthenticated: STRING,
                creationdate: STRING>,
            sessionissuer: STRUCT<
                type: STRING,
                principalid: STRING,
                arn: STRING,
                accountid: STRING,
                username: STRING>,
            ec2roledelivery:string,
            webidfederationdata: STRUCT<
                federatedprovider: STRING,
                attributes: map<string,string>>
        >
    >,
    eventtime STRING,
    eventsource STRING,
    eventname STRING,
    awsregion STRING,
    sourceipaddress STRING,
    useragent STRING,
    errorcode STRING,
    errormessage STRING,
    requestparameters STRING,
    responseelements STRING,
    additionaleventdata STRING,
    requestid STRING,
    eventid STRING,
    readonly STRING,
    resources ARRAY<STRUCT<
        arn: STRING,
        accountid: STRING,
        type: STRING>>,
    eventtype STRING,
    apiversion STRING,
    recipientaccountid STRING,
    serviceeventdetails STRING,
    sharedeventid STRING,
    vpcendpointid STRING,
    vpcendpointaccountid STRING,
    eventcategory STRING,
    addendum STRUCT<
      reason:STRING,
      updatedfields:STRING,
      originalrequestid:STRING,
      originaleventid:STRING>,
    sessioncredentialfromconsole STRING,
    edgedevicedetails STRING,
    tlsdetails STRUCT<
      tlsversion:STRING,
      ciphersuite:STRING,
      clientprovidedhostheader:STRING>
  )
PARTITIONED BY (
   \`timestamp\` string)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION
  's3://amzn-s3-demo-bucket/AWSLogs/account-id/CloudTrail/aws-region'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.timestamp.format'='yyyy/MM/dd',
  'projection.timestamp.interval'='1',
  'projection.timestamp.interval.unit'='DAYS',
  'projection.timestamp.range'='2020/01/01,NOW',
  'projection.timestamp.type'='date',
  'storage.location.template'='s3://amzn-s3-demo-bucket/AWSLogs/account-id/CloudTrail/aws-region/\${timestamp}')`;

/**
 * What a column holds, as far as the engine's typed semantics go:
 * - `string`: a field CloudTrail writes as a JSON string;
 * - `boolean-text`: a JSON boolean the table stores as the text `true` / `false` (Athena's readonly);
 * - `boolean`: a JSON boolean stored as BOOLEAN (CloudTrail Lake);
 * - `json-text`: an object stored as its JSON text (Athena's requestparameters, ...): nested keys are read with
 *   json_extract, which keeps JSON types;
 * - `map`: an object stored as map<string,string> (CloudTrail Lake): nested values lose their JSON types;
 * - `timestamp`: eventTime in CloudTrail Lake;
 * - `struct`: an object with the fields listed; `array`: an array.
 */
export type ColumnKind = 'string' | 'boolean-text' | 'boolean' | 'json-text' | 'map' | 'timestamp' | 'struct' | 'array';

export interface Column {
  /** The column or struct field name in SQL. */
  readonly sql: string;
  readonly kind: ColumnKind;
  /** Fields of a struct, by their CloudTrail JSON key (exact spelling). */
  readonly fields?: Record<string, Column>;
}

const s = (sql: string): Column => ({ sql, kind: 'string' });
const struct = (sql: string, fields: Record<string, Column>): Column => ({ sql, kind: 'struct', fields });

const SESSION_ISSUER = struct('sessionissuer', {
  type: s('type'), principalId: s('principalid'), arn: s('arn'), accountId: s('accountid'), userName: s('username'),
});

const COMMON: Record<string, Column> = {
  eventVersion: s('eventversion'),
  eventSource: s('eventsource'),
  eventName: s('eventname'),
  awsRegion: s('awsregion'),
  sourceIPAddress: s('sourceipaddress'),
  userAgent: s('useragent'),
  errorCode: s('errorcode'),
  errorMessage: s('errormessage'),
  requestID: s('requestid'),
  eventID: s('eventid'),
  resources: { sql: 'resources', kind: 'array' },
  eventType: s('eventtype'),
  apiVersion: s('apiversion'),
  recipientAccountId: s('recipientaccountid'),
  sharedEventID: s('sharedeventid'),
  vpcEndpointId: s('vpcendpointid'),
  eventCategory: s('eventcategory'),
  addendum: struct('addendum', {
    reason: s('reason'), updatedFields: s('updatedfields'), originalRequestID: s('originalrequestid'), originalEventID: s('originaleventid'),
  }),
  tlsDetails: struct('tlsdetails', { tlsVersion: s('tlsversion'), cipherSuite: s('ciphersuite'), clientProvidedHostHeader: s('clientprovidedhostheader') }),
};

/** CloudTrail record fields → columns of ATHENA_CLOUDTRAIL_DDL. */
export const ATHENA_COLUMNS: Record<string, Column> = {
  ...COMMON,
  userIdentity: struct('useridentity', {
    type: s('type'),
    principalId: s('principalid'),
    arn: s('arn'),
    accountId: s('accountid'),
    invokedBy: s('invokedby'),
    accessKeyId: s('accesskeyid'),
    userName: s('username'),
    onBehalfOf: struct('onbehalfof', { userId: s('userid'), identityStoreArn: s('identitystorearn') }),
    sessionContext: struct('sessioncontext', {
      attributes: struct('attributes', { mfaAuthenticated: s('mfaauthenticated'), creationDate: s('creationdate') }),
      sessionIssuer: SESSION_ISSUER,
      ec2RoleDelivery: s('ec2roledelivery'),
      webIdFederationData: struct('webidfederationdata', { federatedProvider: s('federatedprovider'), attributes: { sql: 'attributes', kind: 'map' } }),
    }),
  }),
  eventTime: s('eventtime'),
  requestParameters: { sql: 'requestparameters', kind: 'json-text' },
  responseElements: { sql: 'responseelements', kind: 'json-text' },
  additionalEventData: { sql: 'additionaleventdata', kind: 'json-text' },
  serviceEventDetails: { sql: 'serviceeventdetails', kind: 'json-text' },
  readOnly: { sql: 'readonly', kind: 'boolean-text' },
  vpcEndpointAccountId: s('vpcendpointaccountid'),
  sessionCredentialFromConsole: s('sessioncredentialfromconsole'),
  edgeDeviceDetails: { sql: 'edgedevicedetails', kind: 'json-text' },
};

/** CloudTrail record fields → columns of a CloudTrail Lake event data store of CloudTrail events. */
export const LAKE_COLUMNS: Record<string, Column> = {
  ...COMMON,
  userIdentity: struct('useridentity', {
    type: s('type'),
    principalId: s('principalid'),
    arn: s('arn'),
    accountId: s('accountid'),
    invokedBy: s('invokedby'),
    accessKeyId: s('accesskeyid'),
    userName: s('username'),
    identityProvider: s('identityprovider'),
    onBehalfOf: struct('onbehalfof', { userId: s('userid'), identityStoreArn: s('identitystorearn') }),
    sessionContext: struct('sessioncontext', {
      attributes: struct('attributes', { mfaAuthenticated: s('mfaauthenticated'), creationDate: { sql: 'creationdate', kind: 'timestamp' } }),
      sessionIssuer: SESSION_ISSUER,
      sourceIdentity: s('sourceidentity'),
      ec2RoleDelivery: s('ec2roledelivery'),
      webIdFederationData: struct('webidfederationdata', { federatedProvider: s('federatedprovider'), attributes: { sql: 'attributes', kind: 'map' } }),
    }),
  }),
  eventTime: { sql: 'eventtime', kind: 'timestamp' },
  requestParameters: { sql: 'requestparameters', kind: 'map' },
  responseElements: { sql: 'responseelements', kind: 'map' },
  additionalEventData: { sql: 'additionaleventdata', kind: 'map' },
  serviceEventDetails: { sql: 'serviceeventdetails', kind: 'map' },
  readOnly: { sql: 'readonly', kind: 'boolean' },
  managementEvent: { sql: 'managementevent', kind: 'boolean' },
};
