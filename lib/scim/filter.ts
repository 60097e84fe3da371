import { unstorable } from '@/lib/model/storable-text';
import { MAX_FILTER_LENGTH, MAX_FILTER_NODES } from './limits';
import { badRequest } from './scim-error';

/**
 * RFC 7644 §3.4.2.2 filters, parsed into an AST that db/queries turns into SQL.
 * Not scimmy's Filter: it rewrites `not (a or b)` as `not a or not b` and accepts `userName eq`
 * without a value. Lenient where IdPs are: operators in any case, Entra's unquoted values
 * (`externalId eq jyoung`), and `emails[type eq "work"].value eq "x"` (a value path with a sub-attribute).
 */
import type { AttrPath, CompareOp, FilterNode, FilterValue } from '@/db/queries/filter-ast';

export type { AttrPath, CompareOp, FilterNode, FilterValue };

type Token = { kind: 'word' | 'string' | 'number' | '(' | ')' | '[' | ']'; text: string; value?: FilterValue };

const COMPARE_OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const invalid = (detail: string) => badRequest('invalidFilter', detail);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s+|"((?:[^"\\]|\\.)*)"|([()[\]])|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=[\s()[\]]|$)|([^\s()[\]"]+)/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < input.length && (match = pattern.exec(input))) {
    const [, quoted, bracket, number, word] = match;
    if (quoted !== undefined) tokens.push({ kind: 'string', text: match[0], value: unescape(quoted) });
    else if (bracket !== undefined) tokens.push({ kind: bracket as Token['kind'], text: bracket });
    else if (number !== undefined) tokens.push({ kind: 'number', text: number, value: Number(number) });
    else if (word !== undefined) tokens.push({ kind: 'word', text: word });
  }
  if (pattern.lastIndex < input.length) throw invalid(`Unexpected character at ${pattern.lastIndex} in filter`);
  return tokens;
}

function unescape(quoted: string): string {
  let value: string;
  try {
    value = JSON.parse(`"${quoted}"`) as string;
  } catch {
    throw invalid('Invalid escape in a filter string');
  }
  const problem = unstorable(value); // `\u0000` or `\ud800` written as escapes
  if (problem) throw invalid(`A filter string ${problem}`);
  return value;
}

/** `urn:…:User:name.givenName` → uri, attr, sub. Attribute names are ALPHA *(nameChar). */
export function parseAttrPath(text: string): AttrPath {
  let uri: string | null = null;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const cut = text.lastIndexOf(':');
    uri = text.slice(0, cut);
    rest = text.slice(cut + 1);
  }
  const parts = rest.split('.');
  const name = /^[A-Za-z$][\w$-]*$/;
  if (parts.length > 2 || !parts.every((p) => name.test(p))) throw invalid(`Invalid attribute path '${text}'`);
  return { uri, attr: parts[0]!, sub: parts[1] ?? null };
}

class Parser {
  private index = 0;
  private nodes = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    const node = this.or(false);
    if (this.peek()) throw invalid(`Unexpected '${this.peek()!.text}' in filter`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.text.toLowerCase() === word;
  }

  private expect(kind: Token['kind']): Token {
    const token = this.tokens[this.index++];
    if (token?.kind !== kind) throw invalid(`Expected '${kind}' in filter${token ? ` but found '${token.text}'` : ''}`);
    return token;
  }

  private node<T extends FilterNode>(node: T): T {
    if (++this.nodes > MAX_FILTER_NODES) throw invalid('Filter is too complex');
    return node;
  }

  private or(inValuePath: boolean): FilterNode {
    let left = this.and(inValuePath);
    while (this.isWord('or')) {
      this.index++;
      left = this.node({ type: 'or', left, right: this.and(inValuePath) });
    }
    return left;
  }

  private and(inValuePath: boolean): FilterNode {
    let left = this.unary(inValuePath);
    while (this.isWord('and')) {
      this.index++;
      left = this.node({ type: 'and', left, right: this.unary(inValuePath) });
    }
    return left;
  }

  private unary(inValuePath: boolean): FilterNode {
    if (this.isWord('not')) {
      this.index++;
      return this.node({ type: 'not', expr: this.unary(inValuePath) });
    }
    if (this.peek()?.kind === '(') {
      this.index++;
      const inner = this.or(inValuePath);
      this.expect(')');
      return inner;
    }
    return this.attributeExpression(inValuePath);
  }

  private attributeExpression(inValuePath: boolean): FilterNode {
    const path = parseAttrPath(this.expect('word').text);
    if (this.peek()?.kind === '[') {
      if (inValuePath || path.sub) throw invalid('Nested value filters are not allowed');
      this.index++;
      const inner = this.or(true);
      this.expect(']');
      const sub = this.peek()?.kind === 'word' && this.peek()!.text.startsWith('.') ? this.tokens[this.index++]!.text.slice(1) : null;
      if (sub === null) return this.node({ type: 'valuePath', path, filter: inner });
      const tail = this.comparison({ uri: null, attr: sub, sub: null });
      return this.node({ type: 'valuePath', path, filter: this.node({ type: 'and', left: inner, right: tail }) });
    }
    return this.comparison(path);
  }

  private comparison(path: AttrPath): FilterNode {
    const operator = this.tokens[this.index++];
    const op = operator?.kind === 'word' ? operator.text.toLowerCase() : '';
    if (op === 'pr') return this.node({ type: 'present', path });
    if (!COMPARE_OPS.has(op)) throw invalid(`Expected a comparison operator after '${path.attr}'${operator ? `, found '${operator.text}'` : ''}`);
    const token = this.tokens[this.index++];
    if (!token || token.kind === '(' || token.kind === ')' || token.kind === '[' || token.kind === ']') {
      throw invalid(`Missing value after '${op}' in filter`);
    }
    return this.node({ type: 'compare', path, op: op as CompareOp, value: literal(token) });
  }
}

function literal(token: Token): FilterValue {
  if (token.kind !== 'word') return token.value ?? null;
  const lower = token.text.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  if (lower === 'null') return null;
  if (['and', 'or', 'not'].includes(lower)) throw invalid(`Missing value before '${token.text}' in filter`);
  return token.text; // Entra sends `externalId eq jyoung` unquoted
}

export function parseFilter(input: string): FilterNode {
  const text = input.trim();
  if (!text) throw invalid('Empty filter');
  if (text.length > MAX_FILTER_LENGTH) throw invalid('Filter is too long');
  const problem = unstorable(text);
  if (problem) throw invalid(`The filter ${problem}`);
  return new Parser(tokenize(text)).parse();
}
