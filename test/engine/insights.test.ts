import { CisControl, CisPatternSet } from '../../src';
import { parseExpression } from '../../src/engine/compose';
import { InsightsTranslationError, insightsFilter } from '../../src/engine/insights';

const translate = (pattern: string) => insightsFilter(parseExpression(pattern));

describe('Logs Insights translation of filter patterns', () => {
  test.each([
    ['{ $.eventName = ConsoleLogin }', 'eventName = "ConsoleLogin"'],
    ['{ $.errorCode = "*UnauthorizedOperation" }', 'errorCode like /UnauthorizedOperation$/'],
    ['{ $.errorCode = "AccessDenied*" }', 'errorCode like /^AccessDenied/'],
    ['{ $.eventSource = "*.amazonaws.com*" }', 'eventSource like /\\.amazonaws\\.com/'],
    ['{ $.sourceIPAddress != "delivery.logs.amazonaws.com" }', 'sourceIPAddress != "delivery.logs.amazonaws.com"'],
    ['{ $.userIdentity.arn != "*/robot/*" }', '(ispresent(userIdentity.arn) and userIdentity.arn not like /\\/robot\\//)'],
    ['{ $.userIdentity.invokedBy NOT EXISTS }', 'not ispresent(userIdentity.invokedBy)'],
    ['{ $.readOnly IS FALSE }', 'readOnly = 0'],
    ['{ $.resources[0].ARN = "x" }', 'resources.0.ARN = "x"'],
    ["{ $['x-y'] = \"a\\\"b\" }", '`x-y` = "a\\"b"'],
    ['{ $.status >= 400 }', 'status >= 400'],
    ['{ $.eventName = %^Put.*Policy$% }', 'eventName like /^Put.*Policy$/'],
    ['{ $.eventName = * }', 'ispresent(eventName)'],
    ['{ ($.a = "1" || $.b = "2") && $.c = "3" }', '(a = "1" or b = "2") and c = "3"'],
  ])('%s -> %s', (pattern, expected) => {
    expect(translate(pattern)).toBe(expected);
  });

  test('the root-usage control reads as the benchmark means it', () => {
    expect(translate(CisControl.ROOT_ACCOUNT_USAGE.patternFor(CisPatternSet.RECOMMENDED)))
      .toBe('userIdentity.type = "Root" and not ispresent(userIdentity.invokedBy) and eventType != "AwsServiceEvent"');
  });

  test('every built-in pattern of every set translates', () => {
    for (const set of CisPatternSet.all()) {
      for (const control of CisControl.all().filter((c) => c.isDefinedIn(set))) {
        expect(translate(control.patternFor(set))).toMatch(/\S/);
      }
    }
  });

  test('selector wildcards are refused, not guessed', () => {
    expect(() => translate('{ $.resources[*].ARN = "x" }')).toThrow(InsightsTranslationError);
  });
});
