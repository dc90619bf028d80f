// Template syntax: literal text with `{path}` placeholders, `{{` and `}}` for literal braces. A
// placeholder ends at the first `}` outside a double-quoted string, so SCIM value filters fit inside:
// `{emails[type eq "work"].value}`. A template without any placeholder is refused (that is a constant,
// and more likely a mistake). What a placeholder means depends on the mapping's kind (sources.ts).
import { MappingProblem } from './problem';

export type TemplatePart = { literal: string } | { placeholder: string };

/** The end of the placeholder opened at `open`: the index of its closing `}`. */
function placeholderEnd(text: string, open: number): number {
  let quoted = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
    } else if (c === '}') {
      return i;
    }
  }
  throw new MappingProblem(`the "{" at ${open} is never closed (write "{{" for a literal brace)`);
}

export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if ((c === '{' || c === '}') && text[i + 1] === c) {
      literal += c;
      i += 2;
    } else if (c === '}') {
      throw new MappingProblem(`the "}" at ${i} closes nothing (write "}}" for a literal brace)`);
    } else if (c === '{') {
      const end = placeholderEnd(text, i);
      const placeholder = text.slice(i + 1, end).trim();
      if (placeholder === '') throw new MappingProblem(`the placeholder at ${i} is empty`);
      if (literal !== '') parts.push({ literal });
      literal = '';
      parts.push({ placeholder });
      i = end + 1;
    } else {
      literal += c;
      i++;
    }
  }
  if (literal !== '') parts.push({ literal });
  if (!parts.some((p) => 'placeholder' in p)) throw new MappingProblem('has no {placeholder}; use { "constant": ... } for fixed text');
  return parts;
}
