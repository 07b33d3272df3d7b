// The CloudTrail record fields whose JSON type AWS documents as a scalar (a string or a boolean, never an object
// or an array), for the exclusion rules (src/catalog/exclusion-rules.ts): a condition of a filter pattern can be
// negated exactly only on such a field. Internal: not exported from src/index.ts. Imports nothing from
// aws-cdk-lib (the CLI bundles lib/catalog).
//
// Why it is needed: in CloudWatch Logs a field that holds an object or an array satisfies no condition at all
// (neither `=`, `!=`, `IS NULL`, `IS TRUE`/`IS FALSE` nor `NOT EXISTS`; docs/filter-patterns.md). Every condition
// is false on such a field, so the complement of a condition must be TRUE there, and no filter pattern can say
// "this field is an object": an exclusion on a field that may hold an object cannot be negated exactly, and the
// inexact negation silently drops the events where it is one (`{ $.userIdentity.sessionContext NOT EXISTS }`
// dropped every assumed-role event). The exclusion rules therefore accept conditions only on the fields below.
//
import type { SelectorStep } from '../engine/ast';

// Sources (AWS CloudTrail User Guide):
// - RECORD: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
// - USER_IDENTITY: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
// - SIGN_IN: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html

/** The JSON type a documented scalar field holds when it is present and not null. */
export type ScalarFieldType = 'string' | 'boolean';

/**
 * Selector paths (array indexes written `[]`) of the CloudTrail record fields AWS documents as strings or
 * booleans, with their type. Containers (`userIdentity`, `sessionContext`, `requestParameters`, `resources`, ...)
 * and service-specific fields (inside `requestParameters`, `responseElements`, `additionalEventData`, unless
 * listed) are deliberately absent: they may hold objects or arrays.
 */
export const CLOUDTRAIL_SCALAR_FIELDS: Readonly<Record<string, ScalarFieldType>> = {
  // RECORD: top-level record fields
  'eventVersion': 'string',
  'eventTime': 'string',
  'eventSource': 'string',
  'eventName': 'string',
  'awsRegion': 'string',
  'sourceIPAddress': 'string',
  'userAgent': 'string',
  'errorCode': 'string',
  'errorMessage': 'string',
  'requestID': 'string',
  'eventID': 'string',
  'eventType': 'string',
  'apiVersion': 'string',
  'recipientAccountId': 'string',
  'sharedEventID': 'string',
  'vpcEndpointId': 'string',
  'vpcEndpointAccountId': 'string',
  'eventCategory': 'string',
  'sessionCredentialFromConsole': 'string', // the string "true"
  'readOnly': 'boolean',
  'managementEvent': 'boolean',
  'resources[].ARN': 'string',
  'resources[].accountId': 'string',
  'resources[].type': 'string',
  'tlsDetails.tlsVersion': 'string',
  'tlsDetails.cipherSuite': 'string',
  'tlsDetails.clientProvidedHostHeader': 'string',
  // USER_IDENTITY
  'userIdentity.type': 'string',
  'userIdentity.principalId': 'string',
  'userIdentity.arn': 'string',
  'userIdentity.accountId': 'string',
  'userIdentity.accessKeyId': 'string',
  'userIdentity.userName': 'string',
  'userIdentity.invokedBy': 'string',
  'userIdentity.identityProvider': 'string',
  'userIdentity.credentialId': 'string',
  'userIdentity.sessionContext.sourceIdentity': 'string',
  'userIdentity.sessionContext.ec2RoleDelivery': 'string',
  'userIdentity.sessionContext.attributes.creationDate': 'string',
  'userIdentity.sessionContext.attributes.mfaAuthenticated': 'string', // the string "true" / "false"
  'userIdentity.sessionContext.sessionIssuer.type': 'string',
  'userIdentity.sessionContext.sessionIssuer.principalId': 'string',
  'userIdentity.sessionContext.sessionIssuer.arn': 'string',
  'userIdentity.sessionContext.sessionIssuer.accountId': 'string',
  'userIdentity.sessionContext.sessionIssuer.userName': 'string',
  'userIdentity.sessionContext.webIdFederationData.federatedProvider': 'string',
  'userIdentity.onBehalfOf.userId': 'string',
  'userIdentity.onBehalfOf.identityStoreArn': 'string',
  // SIGN_IN: ConsoleLogin events (CIS 4.2 reads them)
  'additionalEventData.MFAUsed': 'string',
  'additionalEventData.LoginTo': 'string',
  'additionalEventData.MobileVersion': 'string',
  'responseElements.ConsoleLogin': 'string',
};

/**
 * What to compare instead of a container CloudTrail documents: a scalar field inside it that is present whenever
 * the container is (for `NOT EXISTS` / `IS NULL` on the container), or the field that says the same thing.
 */
export const CONTAINER_ADVICE: Readonly<Record<string, string>> = {
  'userIdentity': '$.userIdentity.type',
  'userIdentity.sessionContext': '$.userIdentity.sessionContext.attributes.creationDate (present in every session context) or $.userIdentity.type',
  'userIdentity.sessionContext.attributes': '$.userIdentity.sessionContext.attributes.creationDate',
  'userIdentity.sessionContext.sessionIssuer': '$.userIdentity.sessionContext.sessionIssuer.type',
  'userIdentity.sessionContext.webIdFederationData': '$.userIdentity.sessionContext.webIdFederationData.federatedProvider',
  'userIdentity.onBehalfOf': '$.userIdentity.onBehalfOf.userId',
  'resources': '$.resources[0].ARN',
  'tlsDetails': '$.tlsDetails.tlsVersion',
};

/**
 * The documented type of the field a selector's steps name (`[N]` matches `[]`), or undefined when CloudTrail
 * does not document it as a scalar.
 */
export function cloudTrailFieldType(steps: readonly SelectorStep[]): ScalarFieldType | undefined {
  if (steps.some(s => s.kind === 'wildcard')) return undefined;
  return CLOUDTRAIL_SCALAR_FIELDS[pathOf(steps)];
}

/** `userIdentity.sessionContext`, `resources[]`: the table's key for a selector's steps. */
export function pathOf(steps: readonly SelectorStep[]): string {
  return steps.map((s, i) => (s.kind === 'key' ? `${i === 0 ? '' : '.'}${s.name}` : s.kind === 'index' ? '[]' : '[*]')).join('');
}

/**
 * What an exclusion refused for a field CloudTrail does not document as a scalar should say instead: the scalar
 * field that stands for a documented container, or the documented fields in general.
 */
export function insteadOf(selectorText: string, steps: readonly SelectorStep[]): string {
  const advice = CONTAINER_ADVICE[pathOf(steps)];
  if (advice) return `Write the condition on ${advice} instead of ${selectorText}.`;
  return 'Write the condition on a field CloudTrail documents as a string or boolean instead (e.g. $.eventName, $.eventSource, '
    + '$.sourceIPAddress, $.userIdentity.arn, $.userIdentity.sessionContext.sessionIssuer.arn, $.resources[0].ARN; all of them are listed in '
    + 'cloudtrail-fields.ts and explained in docs/exclusions.md), or name the principals with principalArns.';
}
