// docs/bindings/*.md show exactly the code that test:bindings runs, and the binding test programs
// install the aws-cdk-lib and constructs versions the library is built and tested with.
import { join } from 'path';
import { docs, extractRegion, pinProblems } from '../../scripts/bindings/sync';

const root = join(__dirname, '..', '..');

test.each(docs(root).map((doc) => [doc.path, doc] as const))('%s shows the code of the binding test programs (npx projen docs:bindings)', (_, doc) => {
  expect(doc.current).toBe(doc.synced);
});

test('there is a page for Python, Java and Go', () => {
  expect(docs(root).map((doc) => doc.path)).toEqual(expect.arrayContaining(['docs/bindings/go.md', 'docs/bindings/java.md', 'docs/bindings/python.md']));
});

test('the binding test programs pin the versions in package.json', () => {
  expect(pinProblems(root)).toEqual([]);
});

test('the README shows the construct call of the Python, Java and Go test programs (checked above like the pages)', () => {
  const readme = docs(root).find((doc) => doc.path === 'README.md');
  expect(readme?.current).toContain('<!-- bindings:include test/bindings/python/cis_monitoring_app.py#construct -->');
  expect(readme?.current).toContain('<!-- bindings:include test/bindings/java/src/main/java/com/example/cis/CisMonitoringApp.java#construct -->');
  expect(readme?.current).toContain('<!-- bindings:include test/bindings/go/cis_monitoring.go#construct -->');
});

test('a region nested in another does not show its marker lines in the outer one', () => {
  expect(extractRegion(root, 'test/bindings/python/cis_monitoring_app.py', 'usage')).not.toMatch(/8<.*construct/);
  expect(extractRegion(root, 'test/bindings/python/cis_monitoring_app.py', 'construct')).toMatch(/^self\.monitoring = CisLogMonitoring\(/);
});
