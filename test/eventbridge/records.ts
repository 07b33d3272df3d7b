// CloudTrail records as EventBridge delivers them, and the records the equivalence tests use.
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { loadFixtureRecords } from '../fixtures/cloudtrail/load';

const STRATUS_DIR = join(__dirname, '..', 'fixtures', 'stratus-red-team');

/** The records of the Stratus Red Team detonation logs kept in test/fixtures/stratus-red-team (JSON arrays). */
export function stratusRecords(): any[] {
  return readdirSync(STRATUS_DIR).filter(f => f.endsWith('.json')).sort()
    .flatMap(f => JSON.parse(readFileSync(join(STRATUS_DIR, f), 'utf8')) as any[]);
}

/** Our CloudTrail fixtures (test/fixtures/cloudtrail, the catalog's vectors) and the Stratus Red Team records. */
export function allRecords(): { readonly origin: string; readonly record: any }[] {
  return [
    ...loadFixtureRecords().map(record => ({ origin: 'fixtures/cloudtrail', record })),
    ...stratusRecords().map(record => ({ origin: 'fixtures/stratus-red-team', record })),
  ];
}

/**
 * The EventBridge event for a CloudTrail record: the envelope EventBridge adds (detail-type by the record's
 * eventType, source "aws." and the service of eventSource) with the record under `detail`.
 */
export function onEventBridge(record: any, detailType?: string): unknown {
  const byType: Record<string, string> = {
    AwsConsoleSignIn: 'AWS Console Sign In via CloudTrail',
    AwsServiceEvent: 'AWS Service Event via CloudTrail',
    AwsConsoleAction: 'AWS Console Action via CloudTrail',
  };
  const service = typeof record?.eventSource === 'string' ? record.eventSource.split('.')[0] : 'test';
  return {
    'version': '0',
    'id': '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': detailType ?? byType[record?.eventType] ?? 'AWS API Call via CloudTrail',
    'source': `aws.${service}`,
    'account': '111122223333',
    'time': '2026-12-07T00:00:00Z',
    'region': 'us-east-1',
    'resources': [],
    'detail': record,
  };
}
