import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { bigintLong, longsAsBigInt } from './avro-long.ts';

/** Avro's long encoding written out by hand (zig-zag, then base-128 varint), independent of avsc. */
function avroLongBytes(n: bigint): Buffer {
  let z = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
  const out: number[] = [];
  do {
    const low = Number(z & 0x7fn);
    z >>= 7n;
    out.push(z > 0n ? low | 0x80 : low);
  } while (z > 0n);
  return Buffer.from(out);
}

const long = avro.Type.forSchema('long', { typeHook: longsAsBigInt });

describe('bigintLong', () => {
  it.each([
    0n,
    1n,
    -1n,
    63n,
    -64n,
    2n ** 53n + 1n,
    1698100138468892700n, // a real commitNumber (reference §3.3)
    1725346778429841409n,
    -(2n ** 63n),
    2n ** 63n - 1n,
  ])('%s is written as Avro writes a long and read back exactly', (n) => {
    expect(long.toBuffer(n)).toEqual(avroLongBytes(n));
    expect(long.fromBuffer(avroLongBytes(n))).toBe(n);
  });

  it("is what avsc's default long refuses", () => {
    const bytes = avroLongBytes(1698100138468892700n);
    expect(() => avro.Type.forSchema('long').fromBuffer(bytes)).toThrow(/precision loss/);
  });

  it('writes only 64-bit integers', () => {
    for (const bad of [1, 1.5, '1', 2n ** 63n, -(2n ** 63n) - 1n, null])
      expect(long.isValid(bad), String(bad)).toBe(false);
    expect(() => long.toBuffer(12)).toThrow();
  });

  it('reads JSON numbers and strings, and writes a string only where a number would lose digits', () => {
    expect(bigintLong.fromString('42')).toBe(42n);
    expect(bigintLong.fromString('"1698100138468892700"')).toBe(1698100138468892700n);
    expect(bigintLong.toString(42n)).toBe('42');
    expect(bigintLong.toString(1698100138468892700n)).toBe('"1698100138468892700"');
  });

  it('is used for every long of a schema, in unions, object form and with a logical type', () => {
    const type = avro.Type.forSchema(
      {
        type: 'record',
        name: 'R',
        fields: [
          { name: 'a', type: 'long' },
          { name: 'b', type: ['null', 'long'] },
          { name: 'c', type: { type: 'long' } },
          { name: 'd', type: { type: 'long', logicalType: 'timestamp-millis' } },
          { name: 'e', type: { type: 'array', items: 'long' } },
        ],
      },
      { typeHook: longsAsBigInt },
    );
    const big = 2n ** 60n + 7n;
    const value = { a: big, b: -big, c: big + 1n, d: 1_700_000_000_000n, e: [big, 0n] };
    expect(type.fromBuffer(type.toBuffer(value))).toEqual(value);
    expect(type.fromBuffer(type.toBuffer({ ...value, b: null }))).toMatchObject({ b: null });
  });

  it('reads an int written by an older schema as a long (schema evolution)', () => {
    const int = avro.Type.forSchema('int');
    const resolver = long.createResolver(int);
    expect(long.fromBuffer(int.toBuffer(-7), resolver)).toBe(-7n);
  });
});
