// aws/event-ruler (the matching library behind Amazon EventBridge) as a child process: the Java harness in
// test/eventbridge/java, built with Maven on first use (Maven Central) and cached in its target/ (ignored by git).
import { ChildProcessWithoutNullStreams, execFileSync, spawn } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { createInterface } from 'readline';

const JAVA_DIR = join(__dirname, 'java');
const SOURCES = [join(JAVA_DIR, 'pom.xml'), join(JAVA_DIR, 'src/main/java/io/github/cdkcis/eventbridge/Harness.java')];
const CLASS_FILE = join(JAVA_DIR, 'target/classes/io/github/cdkcis/eventbridge/Harness.class');
const LIB_DIR = join(JAVA_DIR, 'target/lib');

/** The event-ruler version the harness pins (pom.xml), for reports. */
export const EVENT_RULER_VERSION = '2.1.0';

/**
 * What event-ruler answered for one pattern: per event, whether rulesForJSONEvent and rulesForEvent matched, and
 * whether every number of the event is one event-ruler compares numerically (its text is exactly the double Java
 * prints back; rulesForJSONEvent does not compare others, e.g. 6e-323 on Java 17).
 */
export type RulerAnswer = { readonly json: boolean[]; readonly event: boolean[]; readonly comparable: boolean[] } | { readonly error: string };

/** Builds the harness unless target/ is newer than its sources; returns the seconds spent (0 when cached). */
export function buildHarness(): number {
  const built = existsSync(CLASS_FILE) && existsSync(LIB_DIR) && readdirSync(LIB_DIR).some(f => f.startsWith('event-ruler-'))
    && SOURCES.every(s => statSync(s).mtimeMs <= statSync(CLASS_FILE).mtimeMs);
  if (built) return 0;
  const started = Date.now();
  try {
    execFileSync('mvn', ['--batch-mode', '--no-transfer-progress', '--quiet', 'process-classes'], { cwd: JAVA_DIR, stdio: 'pipe', timeout: 600_000 });
  } catch (e: any) {
    if (e.code === 'ENOENT') throw new Error('Maven (mvn) is not on PATH: the EventBridge equivalence tests build aws/event-ruler\'s harness with it (apt-get install maven, or see https://maven.apache.org)');
    throw new Error(`building test/eventbridge/java failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  return (Date.now() - started) / 1000;
}

/** One running harness: requests are answered in order, one line each. */
export class EventRuler {
  public static start(): EventRuler {
    buildHarness();
    const child = spawn('java', ['-cp', `${join(JAVA_DIR, 'target/classes')}:${join(LIB_DIR, '*')}`, 'io.github.cdkcis.eventbridge.Harness'], { stdio: 'pipe' });
    return new EventRuler(child);
  }

  private readonly waiting: Array<(line: string) => void> = [];
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', line => this.waiting.shift()?.(line));
    child.stderr.on('data', d => { this.stderr += String(d); });
    child.on('exit', code => {
      for (const resolve of this.waiting.splice(0)) resolve(JSON.stringify({ error: `harness exited with ${code}: ${this.stderr}` }));
    });
  }

  /**
   * Matches events against a pattern. Events given as strings are passed as that JSON text (so that numbers reach
   * event-ruler as written); objects are printed with JSON.stringify.
   */
  public match(pattern: unknown, events: ReadonlyArray<unknown>): Promise<RulerAnswer> {
    const request = JSON.stringify({
      pattern: typeof pattern === 'string' ? pattern : JSON.stringify(pattern),
      events: events.map(e => (typeof e === 'string' ? e : JSON.stringify(e))),
    });
    return new Promise(resolve => {
      this.waiting.push(line => resolve(JSON.parse(line)));
      this.child.stdin.write(`${request}\n`);
    });
  }

  public async close(): Promise<void> {
    this.child.stdin.end();
    if (this.child.exitCode === null) await new Promise(resolve => this.child.on('exit', resolve));
  }
}
