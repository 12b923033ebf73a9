import { CharacterSet, WHITESPACE } from '../lexing';
import type { Span } from '../mention';

/** One attribute of a start tag: its value decoded, and where the value is written. */
export interface XmlAttribute {
  name: string;
  value: string;
  /** The value as written, entities and all. */
  raw: string;
  /** Offset of the value's first character (after the quote). */
  valueStart: number;
}

export interface XmlElement {
  name: string;
  attributes: XmlAttribute[];
  /** From `<` of the start tag to `>` of the end tag (or of the start tag, or where the text ended). */
  span: Span;
  startTag: Span;
  /** The text between the tags; empty for a self-closing element. */
  content: Span;
  children: XmlElement[];
}

export interface XmlReadOptions {
  /** Elements that never hold others, so that `<port ...>` written without `/>` does not swallow its siblings. */
  isVoid?(name: string, depth: number): boolean;
}

const NAME_START = new CharacterSet(/[A-Za-z_:]/);
const NAME_CHAR = new CharacterSet(/[-\w:.]/);
/** Deeper nesting than any firewalld file has; bounds the end-tag search and the walkers' recursion. */
const MAX_DEPTH = 16;
const ENTITIES = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

export function attribute(element: XmlElement, name: string): XmlAttribute | undefined {
  return element.attributes.find((item) => item.name === name);
}

export function attributeValue(element: XmlElement, name: string): string | undefined {
  return attribute(element, name)?.value;
}

export function textOf(text: string, element: XmlElement): string {
  return text.slice(element.content.start, element.content.end);
}

/** Decodes the five predefined entities and character references; anything else stays as written. */
export function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,4});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES.get(name) ?? whole;
  });
}

/**
 * A tolerant XML reader: elements and attributes (single or double quotes, or none), comments, processing
 * instructions and declarations skipped, mismatched end tags ignored, and tags cut off at the end of the text
 * closed there. It never throws and reads each character a bounded number of times.
 */
export function readXml(text: string, options: XmlReadOptions = {}): XmlElement[] {
  return new XmlReader(text, options).read();
}

class XmlReader {
  private at = 0;
  private readonly roots: XmlElement[] = [];
  private readonly open: XmlElement[] = [];

  constructor(
    private readonly text: string,
    private readonly options: XmlReadOptions,
  ) {}

  read(): XmlElement[] {
    const { text } = this;
    while (this.at < text.length) {
      const lt = text.indexOf('<', this.at);
      if (lt < 0) break;
      this.at = lt;
      if (text.startsWith('<!--', lt)) this.skipPast('-->', lt + 4);
      else if (text.startsWith('<![CDATA[', lt)) this.skipPast(']]>', lt + 9);
      else if (text.startsWith('<?', lt)) this.skipPast('?>', lt + 2);
      else if (text.startsWith('<!', lt)) this.skipPast('>', lt + 2);
      else if (text[lt + 1] === '/') this.readEndTag();
      else if (NAME_START.has(text, lt + 1)) this.readStartTag();
      else this.at = lt + 1;
    }
    for (const element of this.open) this.close(element, text.length, text.length);
    return this.roots;
  }

  private skipPast(terminator: string, from: number): void {
    const end = this.text.indexOf(terminator, from);
    this.at = end < 0 ? this.text.length : end + terminator.length;
  }

  private readName(from: number): string {
    return this.text.slice(from, NAME_CHAR.endOfRun(this.text, from));
  }

  private readStartTag(): void {
    const start = this.at;
    const name = this.readName(start + 1);
    const element: XmlElement = {
      name,
      attributes: [],
      span: { start, end: start },
      startTag: { start, end: start },
      content: { start, end: start },
      children: [],
    };
    this.at = start + 1 + name.length;
    const ending = this.readAttributes(element.attributes);
    element.startTag.end = this.at;
    (this.open[this.open.length - 1]?.children ?? this.roots).push(element);
    const depth = this.open.length;
    const isVoid = ending !== 'open' || depth >= MAX_DEPTH || this.options.isVoid?.(name, depth) === true;
    if (isVoid) this.close(element, this.at, this.at);
    else {
      element.content.start = this.at;
      this.open.push(element);
    }
  }

  /** Reads attributes up to the end of the tag; says how the tag ended. */
  private readAttributes(into: XmlAttribute[]): 'open' | 'self-closing' | 'cut' {
    const { text } = this;
    while (this.at < text.length) {
      const char = text[this.at];
      if (char === '>') {
        this.at++;
        return 'open';
      }
      if (char === '/' && text[this.at + 1] === '>') {
        this.at += 2;
        return 'self-closing';
      }
      if (char === '<') return 'cut';
      if (NAME_START.has(text, this.at)) into.push(this.readAttribute());
      else this.at++;
    }
    return 'cut';
  }

  private readAttribute(): XmlAttribute {
    const { text } = this;
    const name = this.readName(this.at);
    this.at += name.length;
    this.skipWhitespace();
    if (text[this.at] !== '=') return { name, value: '', raw: '', valueStart: this.at };
    this.at++;
    this.skipWhitespace();
    const quote = text[this.at] === '"' || text[this.at] === "'" ? text[this.at] : undefined;
    if (quote) this.at++;
    const valueStart = this.at;
    // A value never holds `<`; stopping there keeps an unclosed quote from swallowing the next tags.
    while (
      this.at < text.length &&
      text[this.at] !== '<' &&
      (quote ? text[this.at] !== quote : !/[\s>]/.test(text[this.at]) && !text.startsWith('/>', this.at))
    ) {
      this.at++;
    }
    const raw = text.slice(valueStart, this.at);
    if (quote && text[this.at] === quote) this.at++;
    return { name, value: decodeEntities(raw), raw, valueStart };
  }

  private skipWhitespace(): void {
    this.at = WHITESPACE.endOfRun(this.text, this.at);
  }

  private readEndTag(): void {
    const start = this.at;
    const name = this.readName(start + 2);
    this.at = start + 2 + name.length;
    while (this.at < this.text.length && this.text[this.at] !== '>' && this.text[this.at] !== '<') this.at++;
    if (this.text[this.at] === '>') this.at++;
    const end = this.at;
    const index = this.open.map((element) => element.name).lastIndexOf(name);
    if (index < 0) return;
    for (const element of this.open.splice(index).reverse()) this.close(element, start, end);
  }

  private close(element: XmlElement, contentEnd: number, end: number): void {
    element.content.end = Math.max(contentEnd, element.content.start);
    element.span.end = end;
  }
}
