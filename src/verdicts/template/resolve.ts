import { Known, isUnknown, unknown } from '../model';

/**
 * The intrinsic functions of CloudFormation templates, evaluated where their inputs are literals: `Ref`,
 * `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split`, `Fn::ImportValue` (against the exports of the
 * other stacks read together) and nested stacks' parameters and outputs. Parameters (without a nested stack's
 * binding), unresolved imports and conditions are `Unknown`. What CloudFormation only decides at deployment is
 * symbolic: `{{AccountId}}` (and `{{Region}}`, `{{Partition}}`) when the stack's environment is not known,
 * and `{{generated/<stack>/<LogicalId>}}` for a physical name CloudFormation generates; symbolic text compares equal
 * to itself, and the policy evaluator treats it as undecidable against other literals.
 */

export type Resource = { Type?: string; Properties?: Record<string, any>; Metadata?: Record<string, any>; Condition?: string };
export type Template = {
  Resources?: Record<string, Resource>;
  Parameters?: Record<string, unknown>;
  Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
  Conditions?: Record<string, unknown>;
};

/** One stack's template and where it sits. */
export interface StackTemplate {
  /** The stack's name (cloud assembly) or the template's file name. */
  readonly name: string;
  readonly template: Template;
  /** The template file, for messages and nested templates. */
  readonly path?: string;
  /** The account / region, when the assembly declares them. */
  readonly account?: string;
  readonly region?: string;
  /** For a nested stack: its parent and the resource that creates it. */
  readonly parent?: { readonly stack: StackContext; readonly logicalId: string };
}

/** Physical names of resource types CloudFormation fills in when the template does not. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudTrail::Trail': 'TrailName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Logs::MetricFilter': 'FilterName',
};

/** A stack being resolved: its template, parameters' bindings, and the other stacks for imports. */
export class StackContext {
  public readonly resources: Record<string, Resource>;
  public nested = new Map<string, StackContext>();
  private readonly resolving = new Set<string>();

  constructor(public readonly stack: StackTemplate, public readonly exports: () => Map<string, { stack: StackContext; value: unknown }>) {
    this.resources = stack.template.Resources ?? {};
  }

  public get name(): string {
    return this.stack.parent ? `${this.stack.parent.stack.name}/${this.stack.parent.logicalId}` : this.stack.name;
  }

  public get account(): string | undefined {
    return this.stack.account ?? this.stack.parent?.stack.account;
  }

  public get region(): string | undefined {
    return this.stack.region ?? this.stack.parent?.stack.region;
  }

  /** A value with every intrinsic function resolved (deeply); what cannot be resolved becomes `Unknown`. */
  public resolve(value: unknown): Known<any> {
    if (value === null || typeof value !== 'object') return value;
    if (isUnknown(value)) return value;
    if (Array.isArray(value)) {
      const items = value.map((v) => this.resolve(v)).filter((v) => v !== NO_VALUE);
      return items;
    }
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      return this.intrinsic(keys[0], (value as any)[keys[0]]);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = this.resolve(v);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  /** A value resolved to a string, or `Unknown` (numbers and booleans become their text). */
  public text(value: unknown): Known<string> | undefined {
    const r = this.resolve(value);
    if (r === undefined || r === NO_VALUE) return undefined;
    if (isUnknown(r)) return r;
    if (typeof r === 'string') return r;
    if (typeof r === 'number' || typeof r === 'boolean') return String(r);
    return unknown(`not a string: ${JSON.stringify(r)}`);
  }

  private intrinsic(fn: string, arg: any): Known<any> {
    switch (fn) {
      case 'Ref': return typeof arg === 'string' ? this.ref(arg) : unknown(`Ref ${JSON.stringify(arg)}`);
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? arg : typeof arg === 'string' ? [arg.split('.')[0], arg.split('.').slice(1).join('.')] : [];
        const attr = this.resolve(attribute);
        if (typeof id !== 'string' || typeof attr !== 'string') return unknown(`Fn::GetAtt ${JSON.stringify(arg)}`);
        return this.getAtt(id, attr);
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) return unknown('Fn::Join with a malformed argument');
        const sep = this.resolve(arg[0]);
        const list = this.resolve(arg[1]);
        if (isUnknown(list)) return list;
        if (typeof sep !== 'string' || !Array.isArray(list)) return unknown('Fn::Join of a non-list');
        const bad = list.find((v) => isUnknown(v) || (typeof v !== 'string' && typeof v !== 'number'));
        if (bad !== undefined) return isUnknown(bad) ? bad : unknown('Fn::Join of a non-string');
        return list.join(sep);
      }
      case 'Fn::Sub': return this.sub(arg);
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return unknown('Fn::Select with a malformed argument');
        const index = this.resolve(arg[0]);
        const list = this.resolve(arg[1]);
        if (isUnknown(index)) return index;
        if (isUnknown(list)) return list;
        return Array.isArray(list) && list[Number(index)] !== undefined ? list[Number(index)] : unknown('Fn::Select out of range');
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) return unknown('Fn::Split with a malformed argument');
        const sep = this.resolve(arg[0]);
        const source = this.resolve(arg[1]);
        if (isUnknown(source)) return source;
        return typeof sep === 'string' && typeof source === 'string' ? source.split(sep) : unknown('Fn::Split of a non-string');
      }
      case 'Fn::ImportValue': {
        const name = this.resolve(arg);
        if (typeof name !== 'string') return unknown(`Fn::ImportValue ${JSON.stringify(arg)}`);
        const exported = this.exports().get(name);
        if (!exported) return unknown(`Fn::ImportValue '${name}' (exported by no stack read)`);
        return exported.stack.resolve(exported.value);
      }
      default: return unknown(`${fn} is not evaluated`);
    }
  }

  private pseudo(name: string): Known<any> | undefined {
    switch (name) {
      case 'AWS::AccountId': return this.account ?? '{{AccountId}}';
      case 'AWS::Region': return this.region ?? '{{Region}}';
      case 'AWS::Partition': return this.region ? partitionOf(this.region) : '{{Partition}}';
      case 'AWS::URLSuffix': return this.region?.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::StackName': return this.stack.parent ? `{{generated/${this.name}}}` : this.stack.name;
      case 'AWS::StackId': return `{{generated/${this.name}/StackId}}`;
      case 'AWS::NoValue': return NO_VALUE;
      default: return name.startsWith('AWS::') ? unknown(`pseudo parameter ${name}`) : undefined;
    }
  }

  /** `Ref` of a parameter, pseudo parameter or resource. */
  public ref(name: string): Known<any> {
    const pseudo = this.pseudo(name);
    if (pseudo !== undefined) return pseudo;
    const parameters = this.stack.template.Parameters ?? {};
    if (name in parameters) {
      const parent = this.stack.parent;
      const bound = parent?.stack.resources[parent.logicalId]?.Properties?.Parameters?.[name];
      if (parent && bound !== undefined) return parent.stack.resolve(bound);
      return unknown(`parameter ${name} of stack ${this.name}`);
    }
    const resource = this.resources[name];
    if (!resource) return unknown(`Ref to ${name}, not in stack ${this.name}`);
    return this.guard(`ref:${name}`, () => {
      switch (resource.Type) {
        case 'AWS::SNS::Topic': return this.arnOf(name, 'sns', this.physicalName(name));
        case 'AWS::KMS::Key': return this.physicalId(name);
        case 'AWS::SNS::Subscription': return `{{generated/${this.name}/${name}}}`;
        default: return this.physicalName(name);
      }
    });
  }

  /** `Fn::GetAtt` of a resource. */
  public getAtt(id: string, attribute: string): Known<any> {
    const resource = this.resources[id];
    if (!resource) return unknown(`Fn::GetAtt ${id}.${attribute}: ${id} is not in stack ${this.name}`);
    return this.guard(`getatt:${id}.${attribute}`, () => {
      const type = resource.Type;
      if (type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) {
        const child = this.nested.get(id);
        if (!child) return unknown(`output ${attribute.slice(8)} of nested stack ${id}, whose template was not read`);
        const output = child.stack.template.Outputs?.[attribute.slice(8)];
        return output ? child.resolve(output.Value) : unknown(`nested stack ${id} has no output ${attribute.slice(8)}`);
      }
      if (type === 'AWS::Logs::LogGroup' && attribute === 'Arn') return this.join(['arn:', this.pseudo('AWS::Partition'), ':logs:', this.pseudo('AWS::Region'), ':', this.pseudo('AWS::AccountId'), ':log-group:', this.physicalName(id), ':*']);
      if (type === 'AWS::SNS::Topic' && attribute === 'TopicArn') return this.arnOf(id, 'sns', this.physicalName(id));
      if (type === 'AWS::SNS::Topic' && attribute === 'TopicName') return this.physicalName(id);
      if (type === 'AWS::KMS::Key' && attribute === 'Arn') return this.arnOf(id, 'kms', this.join(['key/', this.physicalId(id)]));
      if (type === 'AWS::KMS::Key' && attribute === 'KeyId') return this.physicalId(id);
      if (type === 'AWS::CloudWatch::Alarm' && attribute === 'Arn') return this.arnOf(id, 'cloudwatch', this.join(['alarm:', this.physicalName(id)]));
      if (type === 'AWS::CloudTrail::Trail' && attribute === 'Arn') return this.arnOf(id, 'cloudtrail', this.join(['trail/', this.physicalName(id)]));
      if (type === 'AWS::IAM::Role' && attribute === 'Arn') return this.join(['arn:', this.pseudo('AWS::Partition'), ':iam::', this.pseudo('AWS::AccountId'), ':role/', this.physicalName(id)]);
      return unknown(`Fn::GetAtt ${id}.${attribute} is not evaluated`);
    });
  }

  /** The physical name of a resource: its name property when set, else the generated token. */
  public physicalName(id: string): Known<string> {
    const resource = this.resources[id];
    const property = resource?.Type ? NAME_PROPERTY[resource.Type] : undefined;
    const given = property ? resource.Properties?.[property] : undefined;
    if (given !== undefined) {
      const name = this.text(given);
      return name === undefined ? this.physicalId(id) : name;
    }
    return this.physicalId(id);
  }

  /** The token of a physical ID CloudFormation generates. */
  public physicalId(id: string): string {
    return `{{generated/${this.name}/${id}}}`;
  }

  private arnOf(_id: string, service: string, resource: Known<string>): Known<string> {
    return this.join(['arn:', this.pseudo('AWS::Partition'), `:${service}:`, this.pseudo('AWS::Region'), ':', this.pseudo('AWS::AccountId'), ':', resource]);
  }

  private join(parts: Array<Known<any> | undefined>): Known<string> {
    const bad = parts.find((p) => isUnknown(p));
    if (bad) return bad as Known<string>;
    return parts.map(String).join('');
  }

  private sub(arg: any): Known<string> {
    const [text, vars] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? [arg[0], arg[1] ?? {}] : [undefined, {}];
    if (typeof text !== 'string') return unknown('Fn::Sub with a malformed argument');
    let failed: Known<string> | undefined;
    const out = text.replace(/\$\{([^}]*)\}/g, (whole: string, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      let value: Known<any>;
      if (name in vars) {value = this.resolve(vars[name]);} else if (name.includes('.') && !name.startsWith('AWS::')) {
        const [id, ...rest] = name.split('.');
        value = this.getAtt(id, rest.join('.'));
      } else {value = this.ref(name);}
      if (isUnknown(value)) {
        failed ??= value;
        return whole;
      }
      return String(value);
    });
    return failed ?? out;
  }

  private guard(key: string, run: () => Known<any>): Known<any> {
    if (this.resolving.has(key)) return unknown(`a circular reference through ${key}`);
    this.resolving.add(key);
    try {
      return run();
    } finally {
      this.resolving.delete(key);
    }
  }
}

/** `AWS::NoValue`: the property is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue') as any;

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
