/**
 * How urgently a control's alarm needs a person. Used to route alarms (`severityRoutes` of
 * `CisLogMonitoring`); every built-in control has a default (`CisControl.severity`), custom controls
 * choose theirs.
 */
export class CisSeverity {
  /** Someone acts now, day or night: the account's audit trail, its keys or its root user are involved. */
  public static readonly CRITICAL = new CisSeverity('CRITICAL', 4);
  /** Act within hours: access or data exposure may have changed. */
  public static readonly HIGH = new CisSeverity('HIGH', 3);
  /** Review within the working day: a change that is usually planned. */
  public static readonly MEDIUM = new CisSeverity('MEDIUM', 2);
  /** Review in aggregate: a signal that is mostly noise one event at a time. */
  public static readonly LOW = new CisSeverity('LOW', 1);

  /** The four severities, most urgent first. */
  public static all(): CisSeverity[] {
    return [CisSeverity.CRITICAL, CisSeverity.HIGH, CisSeverity.MEDIUM, CisSeverity.LOW];
  }

  /** The severity with this name (`CRITICAL`, `HIGH`, `MEDIUM`, `LOW`; any case). Throws when there is none. */
  public static fromName(name: string): CisSeverity {
    const found = CisSeverity.all().find((s) => s.name === name.trim().toUpperCase());
    if (!found) throw new Error(`Unknown severity "${name}". Use CRITICAL, HIGH, MEDIUM or LOW.`);
    return found;
  }

  /**
   * @param name `CRITICAL`, `HIGH`, `MEDIUM` or `LOW`
   * @param rank 4 (critical) to 1 (low)
   */
  private constructor(public readonly name: string, public readonly rank: number) {}

  /** The severity's name. */
  public toString(): string {
    return this.name;
  }
}
