/** Values a script may use, by variable name (`contact.name`, …); null renders as an empty string. */
export type TemplateValues = Readonly<Record<string, string | null>>;

const VARIABLE = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)*)\s*\}\}/g;

/**
 * Fills `{{contact.name}}`-style variables in one pass over the script's text: a value is inserted as
 * plain text and never read as a template again (a contact named `{{operator.name}}` stays so). A known
 * variable without a value renders empty; an unknown variable is left as written, so the operator sees
 * it before sending.
 */
export class TemplateRenderer {
  static render(body: string, values: TemplateValues): string {
    return body.replace(VARIABLE, (whole: string, name: string) => {
      if (!Object.prototype.hasOwnProperty.call(values, name)) return whole;
      return values[name] ?? '';
    });
  }

  /** the variable names a body uses */
  static variables(body: string): string[] {
    return [...new Set([...body.matchAll(VARIABLE)].map((match) => match[1]))];
  }
}
