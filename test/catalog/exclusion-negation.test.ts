// Issue 18 §2: exclusion negation is exact for every JSON type or refused. For random exclusions and events whose
// fields take every JSON type (string, number, true, false, null, object, array, missing), the construct's
// operational pattern (src/catalog/exclusion-rules.ts) matches exactly the events that match the control's
// compliance pattern and are not excluded; an exclusion whose complement cannot be written is refused, naming it
// and what to write instead. Fields CloudTrail documents as strings or booleans (src/catalog/cloudtrail-fields.ts)
// take their documented type, null or missing; every other field (containers such as userIdentity and
// sessionContext, service-specific requestParameters) takes every JSON type.
//
// Seed: test/support/seed.ts prints it; FC_SEED=<seed> reproduces a run (docs/testing.md).
import * as fc from 'fast-check';
import { CisControl, CisPatternSet, LogFilterPattern } from '../../src';
import { CLOUDTRAIL_SCALAR_FIELDS } from '../../src/catalog/cloudtrail-fields';
import { ExclusionSpec, operationalPattern, parseExclusions } from '../../src/catalog/exclusion-rules';
import { FC_SEED } from '../support/seed';


const TODAY = new Date('2026-12-07T00:00:00Z');
const CONTROLS = [CisControl.IAM_POLICY_CHANGES, CisControl.ROOT_ACCOUNT_USAGE, CisControl.UNAUTHORIZED_API_CALLS];
const STRINGS = ['AttachRolePolicy', 'PutRolePolicy', 'GetObject', 'Root', 'AssumedRole', 'IAMUser', 'AwsServiceEvent',
  'AccessDenied', 'config.amazonaws.com', 'arn:aws:sts::111111111111:assumed-role/robot/run-1', 'robot', 'true', 'x', ''];

// Every JSON type; `missing` is undefined, which JSON.stringify drops.
const scalarOfAnyType = fc.oneof(fc.constantFrom(...STRINGS), fc.constantFrom(0, 1, 5, -3), fc.boolean(), fc.constant(null));
const anyJson = (object: fc.Arbitrary<Record<string, unknown>>) => fc.option(fc.oneof(
  { weight: 4, arbitrary: object },
  { weight: 3, arbitrary: scalarOfAnyType },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.array(fc.oneof(scalarOfAnyType, object), { maxLength: 2 }) },
), { nil: undefined, freq: 5 });
/** A documented field: its documented type, null or missing. */
const documented = (path: string) => fc.option(fc.oneof(
  { weight: 5, arbitrary: CLOUDTRAIL_SCALAR_FIELDS[path] === 'boolean' ? fc.boolean() : fc.constantFrom(...STRINGS) as fc.Arbitrary<unknown> },
  { weight: 1, arbitrary: fc.constant(null) },
), { nil: undefined, freq: 5 });

const sessionContext = fc.record({
  attributes: anyJson(fc.record({
    creationDate: documented('userIdentity.sessionContext.attributes.creationDate'),
    mfaAuthenticated: documented('userIdentity.sessionContext.attributes.mfaAuthenticated'),
  })),
  sessionIssuer: anyJson(fc.record({ type: documented('userIdentity.sessionContext.sessionIssuer.type') })),
});
const event = fc.record({
  eventName: documented('eventName'),
  eventType: documented('eventType'),
  errorCode: documented('errorCode'),
  sourceIPAddress: documented('sourceIPAddress'),
  readOnly: documented('readOnly'),
  userIdentity: anyJson(fc.record({
    type: documented('userIdentity.type'),
    arn: documented('userIdentity.arn'),
    invokedBy: documented('userIdentity.invokedBy'),
    sessionContext: anyJson(sessionContext),
  })),
  requestParameters: anyJson(fc.record({ roleName: anyJson(fc.record({ x: documented('eventName') })) })),
  resources: anyJson(fc.record({ ARN: documented('resources[].ARN') })),
}).map(e => JSON.parse(JSON.stringify(e)) as Record<string, unknown>);

// Exclusion conditions on documented fields, containers and service-specific fields, with every operator form.
const SELECTORS = ['$.eventName', '$.errorCode', '$.sourceIPAddress', '$.readOnly', '$.userIdentity.type', '$.userIdentity.arn',
  '$.userIdentity.invokedBy', '$.userIdentity.sessionContext.attributes.mfaAuthenticated',
  '$.userIdentity.sessionContext.attributes.creationDate', '$.userIdentity.sessionContext.sessionIssuer.type', '$.resources[0].ARN',
  '$.userIdentity', '$.userIdentity.sessionContext', '$.userIdentity.sessionContext.attributes', '$.requestParameters',
  '$.requestParameters.roleName', '$.resources'];
const condition = fc.tuple(fc.constantFrom(...SELECTORS), fc.constantFrom(...STRINGS)).chain(([s, v]) => fc.constantFrom(
  `${s} = "${v}"`, `${s} != "${v}"`, `${s} = "${v.slice(0, 3)}*"`, `${s} = *`, `${s} = %^${v.slice(0, 2).replace(/[^A-Za-z]/g, 'a')}%`,
  `${s} NOT EXISTS`, `${s} IS NULL`, `${s} IS TRUE`, `${s} IS FALSE`, `${s} = 5`, `${s} > 0`,
));
const pattern = fc.oneof(
  condition,
  fc.tuple(condition, condition).map(([a, b]) => `(${a}) && (${b})`),
  fc.tuple(condition, condition).map(([a, b]) => `(${a}) || (${b})`),
  fc.tuple(condition, condition, condition).map(([a, b, c]) => `((${a}) || (${b})) && (${c})`),
).map(p => `{ ${p} }`);
const exclusion = fc.record({
  pattern: fc.option(pattern, { nil: undefined, freq: 6 }),
  principalArns: fc.option(fc.constantFrom<string[]>(['arn:aws:sts::111111111111:assumed-role/robot/*'], ['*robot*', 'arn:aws:iam::1:user/x']), { nil: undefined }),
}).filter(e => e.pattern !== undefined || e.principalArns !== undefined)
  .map((e): ExclusionSpec => ({ ...e, reason: 'property test', owner: 'test', expires: '2099-12-31' }));

/** Whether the user's exclusion, as written, names the event (evaluated by the engine on the user's own text). */
function excluded(spec: ExclusionSpec, e: unknown): boolean {
  const byPrincipal = spec.principalArns === undefined
    || spec.principalArns.some(p => LogFilterPattern.parse(`{ $.userIdentity.arn = "${p}" }`).matches(e));
  return byPrincipal && (spec.pattern === undefined || LogFilterPattern.parse(spec.pattern).matches(e));
}

describe('compliance match AND NOT excluded equals the operational filter, for every JSON type, or the exclusion is refused', () => {
  test(`random exclusions and events (seed ${FC_SEED})`, () => {
    const stats = { accepted: 0, refused: 0, tooLong: 0, events: 0, compliant: 0, excludedCompliant: 0, pagedCompliant: 0 };
    fc.assert(fc.property(exclusion, fc.array(event, { minLength: 40, maxLength: 40 }), (spec, events) => {
      const [parsed] = parseExclusions('test', [spec], CONTROLS, TODAY);
      for (const control of CONTROLS) {
        const compliance = control.patternFor(CisPatternSet.RECOMMENDED);
        let text: string;
        try {
          text = operationalPattern('test', control, compliance, [parsed]);
        } catch (err) {
          // A refusal names the exclusion and says what to write instead (or why it excludes nothing); a pattern
          // over CloudWatch Logs' 1,024 characters names the exclusion to shorten.
          const message = (err as Error).message;
          if (/would be rejected by CloudWatch Logs: The filter pattern is \d+ characters long/.test(message)) {
            expect(message).toMatch(/Shorten exclusions\[0\] \(owner "test", reason "property test"\)/);
            stats.tooLong++;
            continue;
          }
          expect(message).toMatch(/exclusions\[0\] \(owner "test", reason "property test"\) cannot be applied: .*(instead|remove the condition)/);
          stats.refused++;
          continue;
        }
        stats.accepted++;
        const operational = LogFilterPattern.parse(text);
        const compliant = LogFilterPattern.parse(compliance);
        for (const e of events) {
          stats.events++;
          const expected = compliant.matches(e) && !excluded(spec, e);
          if (compliant.matches(e)) {
            stats.compliant++;
            if (expected) stats.pagedCompliant++; else stats.excludedCompliant++;
          }
          if (operational.matches(e) !== expected) {
            throw new Error(`${control.id}: operational pattern ${text} gives ${!expected} for ${JSON.stringify(e)}; exclusion ${JSON.stringify(spec)}`);
          }
        }
      }
    }), { numRuns: 600 });
    // eslint-disable-next-line no-console
    console.log(`exclusion-negation: ${JSON.stringify(stats)}`);
    // Not vacuous: many exclusions were applied, events both excluded and paged, and some exclusions refused.
    expect(stats.accepted).toBeGreaterThan(300);
    expect(stats.refused).toBeGreaterThan(100);
    expect(stats.excludedCompliant).toBeGreaterThan(10);
    expect(stats.pagedCompliant).toBeGreaterThan(100);
  });
});

describe('the defect of issue 18: an exclusion on a container', () => {
  const assumedRoleAttach = {
    eventName: 'AttachRolePolicy',
    eventSource: 'iam.amazonaws.com',
    userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111111111111:assumed-role/dev/alice', sessionContext: { attributes: { creationDate: '2026-12-07T00:00:00Z', mfaAuthenticated: 'false' } } },
  };
  const control = CisControl.IAM_POLICY_CHANGES;
  const compliance = control.patternFor(CisPatternSet.RECOMMENDED);
  const spec = (p: string): ExclusionSpec => ({ pattern: p, reason: 'long-term keys only', owner: 'secops', expires: '2099-12-31' });
  const build = (p: string) => operationalPattern('CisLogMonitoring Stack/Cis', control, compliance, parseExclusions('CisLogMonitoring Stack/Cis', [spec(p)], [control], TODAY));

  test.each(['{ $.userIdentity.sessionContext NOT EXISTS }', '{ $.userIdentity.sessionContext IS NULL }'])('%s is refused, naming the exclusion and the field to use', (p) => {
    expect(() => build(p)).toThrow('CisLogMonitoring Stack/Cis: exclusions[0] (owner "secops", reason "long-term keys only") cannot be applied: '
      + '$.userIdentity.sessionContext may hold an object or an array');
    expect(() => build(p)).toThrow(/Write the condition on \$\.userIdentity\.sessionContext\.attributes\.creationDate/);
  });

  test('the advised field keeps the assumed-role AttachRolePolicy paging', () => {
    const text = build('{ $.userIdentity.sessionContext.attributes.creationDate NOT EXISTS }');
    expect(LogFilterPattern.parse(compliance).matches(assumedRoleAttach)).toBe(true);
    expect(LogFilterPattern.parse(text).matches(assumedRoleAttach)).toBe(true);
    const { sessionContext: _, ...longTermKeys } = assumedRoleAttach.userIdentity;
    expect(LogFilterPattern.parse(text).matches({ ...assumedRoleAttach, userIdentity: { ...longTermKeys, type: 'IAMUser' } })).toBe(false);
  });

  test('a string compared with a boolean field: the complement keeps every boolean ($.readOnly = "true" never matches true)', () => {
    const text = build('{ $.readOnly = "true" }');
    expect(LogFilterPattern.parse(text).matches({ ...assumedRoleAttach, readOnly: false })).toBe(true);
    expect(LogFilterPattern.parse(text).matches({ ...assumedRoleAttach, readOnly: true })).toBe(true);
  });

  test('a service-specific field is refused with the documented fields to use instead', () => {
    expect(() => build('{ $.requestParameters.roleName = "robot" }')).toThrow(/\$\.requestParameters\.roleName may hold an object.*Write the condition on a field CloudTrail documents as a string or boolean/);
  });
});
