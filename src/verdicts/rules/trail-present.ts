import { Rule } from '../rule';
import { CIS_AUDIT, finding } from './util';

/** A snapshot that sees every trail (a live account) must hold one delivering to CloudWatch Logs. */
export const TRAIL_PRESENT: Rule = {
  id: 'CIS-MON-TRAIL-PRESENT',
  title: 'A trail exists',
  link: 'trail',
  enforces: 'Audit step 1 of every monitoring control starts from an active multi-region CloudTrail trail; without one no event reaches a metric filter.',
  citation: `${CIS_AUDIT} step 1; https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html`,
  severity: 'FAIL',
  check(snapshot, _control, chain) {
    if (chain.trail || chain.trailUnseen || !snapshot.snapshot.seesAllTrails) return [];
    return [finding('FAIL', [snapshot.snapshot.source], `no CloudTrail trail in ${snapshot.snapshot.source}: no event reaches a metric filter`,
      'Create a multi-region trail that delivers to a CloudWatch Logs log group (CisLogMonitoring creates one).')];
  },
};
