import { describe, expect, it } from 'vitest';
import { OUTBOUND_XML_BOUNDS, xmlBoundsProblem, type XmlBounds } from './xml-bounds.ts';

const small: XmlBounds = {
  maxDepth: 3,
  maxElements: 5,
  maxAttributes: 4,
  maxAttributesPerElement: 2,
  maxEntityReferences: 2,
};

describe('xmlBoundsProblem', () => {
  it.each([
    ['a flat document', '<a><b/><c x="1" y="2">t</c></a>'],
    ['exactly the depth', '<a><b><c/></b></a>'],
    [
      'declarations, comments and CDATA (not counted)',
      '<?xml version="1.0"?><!-- <x><x><x> --><a><![CDATA[<b><b><b>]]></a>',
    ],
    ['quoted > and = in attribute values', `<a x="1>2=3" y='a=b'/>`],
    ['two entity references', '<a>&amp;&lt;</a>'],
    ['text with = and >', '<a>x = y > z</a>'],
  ])('accepts %s', (_name, xml) => {
    expect(xmlBoundsProblem(xml, small)).toBeNull();
  });

  it.each([
    ['too deep', '<a><b><c><d/></c></b></a>', 'elements nested more than 3 deep'],
    ['too many elements', '<a><b/><b/><b/><b/><b/></a>', 'more than 5 elements'],
    ['too many attributes on one element', '<a x="1" y="2" z="3"/>', 'more than 2 attributes on one element'],
    ['too many attributes in all', '<a x="1" y="2"><b x="1" y="2"/><c x="1"/></a>', 'more than 4 attributes'],
    ['too many entity references', '<a>&amp;&amp;&#38;</a>', 'more than 2 entity references'],
    ['a DTD', '<!DOCTYPE a [<!ENTITY x "y">]><a/>', 'DTDs are not allowed in a SOAP message'],
    ['an unclosed quote', '<a x="1/>', 'malformed XML: a tag is not closed'],
    ['an unclosed tag', '<a x="1"', 'malformed XML: a tag is not closed'],
    ['an unclosed comment', '<a><!-- x', 'malformed XML: the document ends inside markup'],
  ])('refuses %s', (_name, xml, reason) => {
    expect(xmlBoundsProblem(xml, small)).toBe(reason);
  });

  it('counts closing tags back down, so long flat documents stay shallow', () => {
    const xml = `<a>${'<b><c/></b>'.repeat(1000)}</a>`;
    expect(xmlBoundsProblem(xml, { ...small, maxElements: 10_000 })).toBeNull();
  });

  it('refuses 200,000 attributes on one element in milliseconds, not seconds', () => {
    const xml = `<x ${Array.from({ length: 200_000 }, (_, i) => `a${i}="1"`).join(' ')}/>`;
    const started = performance.now();
    expect(xmlBoundsProblem(xml)).toBe(
      `more than ${OUTBOUND_XML_BOUNDS.maxAttributesPerElement} attributes on one element`,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
