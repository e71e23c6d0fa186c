import { randomBytes } from 'node:crypto';

/** A value a placeholder can stand for: text, or a whole JSON body (data.json references). */
export type TemplateValue = string | number | boolean | null | TemplateValue[] | { [key: string]: TemplateValue };

const PLACEHOLDER = /\$(fn:[A-Za-z]+\([^)]*\)|[A-Za-z_][A-Za-z0-9_-]*)/g;
const WHOLE = /^\$(fn:[A-Za-z]+\([^)]*\)|[A-Za-z_][A-Za-z0-9_-]*)$/;

/** Thrown when a script needs a value nobody provided: the script cannot run. */
export class UnresolvedPlaceholder extends Error {
  constructor(readonly placeholder: string) {
    super(`no value for $${placeholder}`);
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * Formats a UTC instant in a Go reference layout, as the suite's `$fn:nextDayDate(layout)` does
 * (the layouts it uses: `2006-01-02T15:04:05` with `-07:00`, `Z07:00`, a literal `Z`, `.999`).
 */
export function formatGoLayout(at: Date, layout: string): string {
  const tokens: Record<string, () => string> = {
    '2006': () => String(at.getUTCFullYear()),
    '01': () => pad(at.getUTCMonth() + 1),
    '02': () => pad(at.getUTCDate()),
    '15': () => pad(at.getUTCHours()),
    '04': () => pad(at.getUTCMinutes()),
    '05': () => pad(at.getUTCSeconds()),
    'Z07:00': () => 'Z',
    '-07:00': () => '+00:00',
  };
  // One left-to-right pass over the layout, so a value written earlier is never read as a token.
  return layout.replace(/2006|01|02|15|04|05|Z07:00|-07:00|\.9+/g, (token) => {
    if (token.startsWith('.')) {
      const digits = pad(at.getUTCMilliseconds(), 3).slice(0, token.length - 1).replace(/0+$/, '');
      return digits ? `.${digits}` : '';
    }
    return tokens[token]!();
  });
}

/** The suite's functions (`$fn:name(argument)`). */
function callFunction(call: string, now: () => Date): string {
  const [, name, argument] = /^fn:([A-Za-z]+)\(([^)]*)\)$/.exec(call) ?? [];
  const tomorrow = new Date(now().getTime() + 24 * 3600 * 1000);
  switch (name) {
    case 'instructionIdentificationID':
      // OB Max35Text; unique per call so each consent and its payment match one another only.
      return randomBytes(12).toString('hex');
    case 'nextDayDate':
    case 'nextDayDateTime':
      return formatGoLayout(tomorrow, argument ?? '2006-01-02T15:04:05Z07:00');
    default:
      throw new UnresolvedPlaceholder(call);
  }
}

/**
 * Resolves `$name` placeholders for one script: its own parameters first (each resolved once, in
 * terms of the others), then what earlier scripts kept, then the run's configuration. A parameter
 * naming itself (`"currency": "$currency"`) takes the outer value.
 */
export class ScriptScope {
  private readonly resolved = new Map<string, TemplateValue>();
  private readonly resolving = new Set<string>();

  constructor(
    private readonly parameters: Readonly<Record<string, string>>,
    private readonly outer: (name: string) => TemplateValue | undefined,
    private readonly bodies: Readonly<Record<string, unknown>>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Every parameter of the script, resolved where it can be (kept for later scripts). */
  values(): Record<string, TemplateValue> {
    const out: Record<string, TemplateValue> = {};
    for (const name of Object.keys(this.parameters)) {
      try {
        out[name] = this.lookup(name);
      } catch (error) {
        if (!(error instanceof UnresolvedPlaceholder)) throw error;
      }
    }
    return out;
  }

  lookup(name: string): TemplateValue {
    if (name.startsWith('fn:')) return callFunction(name, this.now);
    if (this.resolved.has(name)) return this.resolved.get(name)!;
    if (Object.hasOwn(this.parameters, name) && !this.resolving.has(name)) {
      this.resolving.add(name);
      try {
        const value = this.expand(this.parameters[name]!);
        this.resolved.set(name, value);
        return value;
      } finally {
        this.resolving.delete(name);
      }
    }
    const outer = this.outer(name);
    if (outer !== undefined) return outer;
    if (Object.hasOwn(this.bodies, name)) return this.expand(this.bodies[name] as TemplateValue);
    throw new UnresolvedPlaceholder(name);
  }

  /** A template with every placeholder replaced; a string that is one placeholder takes its value whole. */
  expand(template: TemplateValue): TemplateValue {
    if (typeof template === 'string') {
      const whole = WHOLE.exec(template);
      if (whole) return this.lookup(whole[1]!);
      return template.replace(PLACEHOLDER, (_match, name: string) => {
        const value = this.lookup(name);
        return typeof value === 'string' ? value : JSON.stringify(value);
      });
    }
    if (Array.isArray(template)) return template.map((item) => this.expand(item));
    if (template !== null && typeof template === 'object') {
      return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, this.expand(value)]));
    }
    return template;
  }

  text(template: string): string {
    const value = this.expand(template);
    return typeof value === 'string' ? value : JSON.stringify(value);
  }
}
