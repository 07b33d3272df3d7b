// docs/bindings/*.md show exactly the code that test:bindings runs, and the binding test programs
// install the aws-cdk-lib and constructs versions the library is built and tested with.
import { join } from 'path';
import { docs, pinProblems } from '../../scripts/bindings/sync';

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
