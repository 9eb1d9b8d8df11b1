// A linear pre-scan of an outbound message, before fast-xml-parser sees it. The parser and its
// validator spend microseconds per attribute, element and entity reference, so a 2 MB body of 200,000
// attributes held the event loop for seconds; counting first refuses such a body in milliseconds. The
// scan only counts (tags, attributes, depth, entity references) and refuses what no outbound message
// contains (DTDs); well-formedness is still the validator's job.

export interface XmlBounds {
  /** Nesting depth. A message is Envelope › Body › notifications › Notification › sObject › field: 6. */
  maxDepth: number;
  /** Start tags in the whole document. */
  maxElements: number;
  /** Attributes (namespace declarations included) in the whole document. */
  maxAttributes: number;
  /** Attributes on one element. */
  maxAttributesPerElement: number;
  /** `&…;` references (`&amp;`, `&#38;`): the parser decodes each one at a cost of its own. */
  maxEntityReferences: number;
}

/**
 * 100 notifications of an sObject with about 90 fields fit; Roster itself reads only the record Id, so
 * nobody needs more. Within these bounds parsing a message costs tens of milliseconds.
 */
export const OUTBOUND_XML_BOUNDS: XmlBounds = {
  maxDepth: 16,
  maxElements: 10_000,
  maxAttributes: 10_000,
  maxAttributesPerElement: 32,
  maxEntityReferences: 10_000,
};

const LT = 0x3c; // <
const GT = 0x3e; // >
const SLASH = 0x2f;
const QUOTE = 0x22;
const APOS = 0x27;
const EQUALS = 0x3d;

/** The first bound the document breaks, as a short reason; null when it stays inside all of them. */
export function xmlBoundsProblem(xml: string, bounds: XmlBounds = OUTBOUND_XML_BOUNDS): string | null {
  if (countOf(xml, '&', bounds.maxEntityReferences + 1) > bounds.maxEntityReferences)
    return `more than ${bounds.maxEntityReferences} entity references`;
  let depth = 0;
  let elements = 0;
  let attributes = 0;
  let i = xml.indexOf('<');
  while (i >= 0) {
    const next = xml.charCodeAt(i + 1);
    if (next === 0x3f /* ? */) {
      i = skipPast(xml, '?>', i + 2);
    } else if (xml.startsWith('<!--', i)) {
      i = skipPast(xml, '-->', i + 4);
    } else if (xml.startsWith('<![CDATA[', i)) {
      i = skipPast(xml, ']]>', i + 9);
    } else if (next === 0x21 /* ! */) {
      // SOAP forbids DTDs, and refusing them outright rules out entity-expansion attacks.
      return 'DTDs are not allowed in a SOAP message';
    } else if (next === SLASH) {
      depth -= 1;
      i = skipPast(xml, '>', i + 2);
    } else {
      const tag = scanStartTag(xml, i + 1);
      if (tag === null) return 'malformed XML: a tag is not closed';
      elements += 1;
      attributes += tag.attributes;
      if (elements > bounds.maxElements) return `more than ${bounds.maxElements} elements`;
      if (tag.attributes > bounds.maxAttributesPerElement)
        return `more than ${bounds.maxAttributesPerElement} attributes on one element`;
      if (attributes > bounds.maxAttributes) return `more than ${bounds.maxAttributes} attributes`;
      if (depth + 1 > bounds.maxDepth) return `elements nested more than ${bounds.maxDepth} deep`;
      if (!tag.selfClosing) depth += 1;
      i = tag.end;
    }
    if (i < 0) return 'malformed XML: the document ends inside markup';
    i = xml.indexOf('<', i);
  }
  return null;
}

function countOf(text: string, char: string, stopAt: number): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0 && n < stopAt; i = text.indexOf(char, i + 1)) n += 1;
  return n;
}

function skipPast(xml: string, terminator: string, from: number): number {
  const at = xml.indexOf(terminator, from);
  return at < 0 ? -1 : at + terminator.length;
}

/** From just after `<` to just after the tag's `>`; an `=` outside quotes is one attribute. */
function scanStartTag(
  xml: string,
  from: number,
): { end: number; attributes: number; selfClosing: boolean } | null {
  let attributes = 0;
  let i = from;
  for (;;) {
    const c = xml.charCodeAt(i);
    if (Number.isNaN(c) || c === LT) return null;
    if (c === GT) return { end: i + 1, attributes, selfClosing: xml.charCodeAt(i - 1) === SLASH };
    if (c === QUOTE || c === APOS) {
      const close = xml.indexOf(c === QUOTE ? '"' : "'", i + 1);
      if (close < 0) return null;
      i = close + 1;
      continue;
    }
    if (c === EQUALS) attributes += 1;
    i += 1;
  }
}
