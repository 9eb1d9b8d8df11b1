// Avro `long` as a BigInt. avsc's own long type throws "potential precision loss" beyond 2^53, and
// Salesforce's ChangeEventHeader.commitNumber is such a value in real orgs (about the commit time in ms ×
// 10^6, reference §3.3): with it every real change event was undecodable. So every long decodes to a
// BigInt, exactly; a caller narrows the ones it knows are small (commitTimestamp, epoch ms) to numbers.
import avro from 'avsc';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const isInt64 = (v: unknown): v is bigint => typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX;

/** avsc hands these methods the long as 8 bytes, little-endian two's complement (no zig-zag). */
export const bigintLong: avro.types.LongType = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer): bigint => buf.readBigInt64LE(),
  toBuffer: (n: bigint): Buffer => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  // JSON carries a long as a number, or as a string when a number would lose digits.
  fromJSON: (v: unknown): bigint => {
    const n = BigInt(v as bigint | number | string); // throws on fractions and non-numbers
    if (!isInt64(n)) throw new Error(`not an Avro long: ${String(v)}`);
    return n;
  },
  toJSON: (n: bigint): number | string =>
    n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString(),
  isValid: isInt64,
  compare: (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0),
});

/**
 * A `typeHook` for `avro.Type.forSchema` that makes every long of a schema a BigInt — written `"long"` or
 * `{"type": "long", …}` (the object form bypasses avsc's registry, so a registry entry alone would miss it).
 */
export function longsAsBigInt(schema: avro.Schema): avro.Type | undefined {
  if (schema === 'long') return bigintLong;
  const type = typeof schema === 'object' && schema !== null ? (schema as { type?: unknown }).type : null;
  return type === 'long' ? bigintLong : undefined;
}
