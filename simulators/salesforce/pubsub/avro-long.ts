// Avro `long` as a BigInt, for writing change events as Salesforce does: every long is 64 bits, and
// commitNumber is far beyond 2^53 (reference §3.3), which avsc's default long type can neither write nor
// read. Writing is strict: only a BigInt within 64 bits is a long (a JS number is refused, so no value
// silently loses digits on its way in). Written independently of Roster's decoder on purpose.
import avro from 'avsc';

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;
const isLong = (v: unknown): v is bigint => typeof v === 'bigint' && v >= MIN && v <= MAX;

const longType: avro.types.LongType = avro.types.LongType.__with({
  // avsc passes the long as 8 little-endian two's-complement bytes; it does the zig-zag varint itself.
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  fromJSON: (v: unknown) => {
    const n = BigInt(v as bigint | number | string);
    if (!isLong(n)) throw new Error(`not a 64-bit long: ${String(v)}`);
    return n;
  },
  toJSON: (n: bigint) => n.toString(),
  isValid: isLong,
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
});

/** `avro.Type.forSchema(schema, { typeHook: bigintLongs })`: every long of the schema is a BigInt. */
export function bigintLongs(schema: avro.Schema): avro.Type | undefined {
  const type = typeof schema === 'object' && schema !== null ? (schema as { type?: unknown }).type : schema;
  return type === 'long' ? longType : undefined;
}
