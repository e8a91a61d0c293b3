/**
 * Just enough of the WebAssembly binary format to write the Keccak kernel by hand: LEB128
 * numbers, the instructions it uses (named as in the text format), and a module with one
 * imported memory, functions, exports and one data segment. Code is a plain `number[]` of bytes.
 */

export const I32 = 0x7f;
export const I64 = 0x7e;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Signed LEB128. */
export function sleb(value: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A memory argument: alignment (log2 bytes) and a constant offset. */
const memarg = (alignLog2: number, offset: number) => [...uleb(alignLog2), ...uleb(offset)];
const simd = (opcode: number, ...immediates: number[]) => [0xfd, ...uleb(opcode), ...immediates];

/** The instructions the kernel uses. Each returns its bytes; operands come from the stack as in the spec. */
export const op = {
  localGet: (index: number) => [0x20, ...uleb(index)],
  localSet: (index: number) => [0x21, ...uleb(index)],
  i32Const: (value: number) => [0x41, ...sleb(BigInt(value))],
  i64Const: (value: bigint) => [0x42, ...sleb(value)],
  call: (fn: number) => [0x10, ...uleb(fn)],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  return: [0x0f],
  i32Load: (offset = 0) => [0x28, ...memarg(2, offset)],
  i32Load8U: (offset = 0) => [0x2d, ...memarg(0, offset)],
  i64Load: (offset = 0) => [0x29, ...memarg(3, offset)],
  i64Store: (offset = 0) => [0x37, ...memarg(3, offset)],
  i32Eq: [0x46],
  i32Ne: [0x47],
  i32LtU: [0x49],
  i32GtU: [0x4b],
  i32GeU: [0x4f],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32And: [0x71],
  i32Shl: [0x74],
  i64And: [0x83],
  i64Xor: [0x85],
  i64Rotl: [0x89],
  v128Load64Splat: (offset = 0) => simd(0x0a, ...memarg(3, offset)),
  i64x2Splat: simd(0x12),
  i64x2ExtractLane: (lane: number) => simd(0x1d, lane),
  i64x2ReplaceLane: (lane: number) => simd(0x1e, lane),
  v128AndNot: simd(0x4f), // a & ~b
  v128Or: simd(0x50),
  v128Xor: simd(0x51),
  i64x2Shl: simd(0xcb),
  i64x2ShrU: simd(0xcd),
};

export interface FunctionDef {
  params: number[];
  results: number[];
  /** Types of the locals after the parameters. WASM starts every local at zero. */
  locals: number[];
  code: number[];
  exportAs?: string;
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => vec([...text].map((c) => [c.charCodeAt(0)]));

/** A module importing `env.memory`, defining `functions` (one type each) and writing `data` at `dataOffset`. */
export function encodeModule(functions: FunctionDef[], dataOffset: number, data: number[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const exports = functions.flatMap((f, i) => (f.exportAs ? [[...name(f.exportAs), 0x00, ...uleb(i)]] : []));
  const body = (f: FunctionDef) => {
    const code = [...vec(f.locals.map((t) => [1, t])), ...f.code, ...op.end];
    return [...uleb(code.length), ...code];
  };
  const memoryImport = [...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(1)]; // at least one page
  const segment = [0x00, ...op.i32Const(dataOffset), ...op.end, ...vec(data.map((b) => [b]))];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, vec(types)),
    ...section(2, vec([memoryImport])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(exports)),
    ...section(10, vec(functions.map(body))),
    ...section(11, vec([segment])),
  ]);
}
