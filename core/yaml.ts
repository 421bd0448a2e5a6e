// Block-style YAML of plain data, for openapi.yaml: no dependency, and output a person can read.

export type Yaml = string | number | bigint | boolean | Yaml[] | { [key: string]: Yaml | undefined };

/** A YAML scalar: plain when that is unambiguous, else JSON-quoted (a JSON string is a YAML one). */
function scalar(v: string | number | bigint | boolean): string {
  if (typeof v !== 'string') return String(v);
  return /^[A-Za-z_/$][\w ./{}$-]*$/.test(v) && !/ $/.test(v) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(v) ? v : JSON.stringify(v);
}

/** Block-style YAML of plain data; `indent` is the current line's. */
export function toYaml(value: Yaml, indent: string): string {
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return value
      .map((v) => {
        if (typeof v !== 'object') return `${indent}- ${scalar(v)}`;
        const inner = toYaml(v, `${indent}  `);
        return `${indent}- ${inner.trimStart()}`;
      })
      .join('\n');
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter((e): e is [string, Yaml] => e[1] !== undefined);
    if (!entries.length) return '{}';
    return entries
      .map(([k, v]) => {
        if (typeof v !== 'object' || (Array.isArray(v) && !v.length) || (!Array.isArray(v) && !Object.keys(v).length))
          return `${indent}${scalar(k)}: ${typeof v === 'object' ? toYaml(v, '') : scalar(v)}`;
        return `${indent}${scalar(k)}:\n${toYaml(v, `${indent}  `)}`;
      })
      .join('\n');
  }
  return scalar(value);
}
