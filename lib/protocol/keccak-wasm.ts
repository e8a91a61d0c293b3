/**
 * Keccak-256 specialised for the block tree's two input shapes — one 32-byte entry hash (leaves)
 * and a 64-byte sorted pair (inner nodes) — as a small WebAssembly module that this file writes
 * byte by byte. There is no binary blob to trust: the module below is generated from this source,
 * and the tests check it against @noble/hashes on random and edge inputs.
 *
 * Why: the tree hashes ~3 million times for a million entries. A general-purpose hash call from JS
 * costs microseconds (allocation, padding, copies, a JS↔WASM crossing per call); here the whole
 * loop over leaves or nodes runs inside WASM on 64-bit lanes, and, where the engine has SIMD,
 * two independent permutations share each 128-bit instruction.
 */

const I32 = 0x7f;
const I64 = 0x7e;
const V128 = 0x7b;

/** Byte offsets inside every kernel's memory: the round constants, then the caller's data. */
const RC_OFFSET = 256;
/** First byte callers may use; everything below belongs to the kernel. */
export const KERNEL_HEADER_BYTES = 512;

const ROUND_CONSTANTS = [
  0x0000000000000001n, 0x0000000000008082n, 0x800000000000808an, 0x8000000080008000n,
  0x000000000000808bn, 0x0000000080000001n, 0x8000000080008081n, 0x8000000000008009n,
  0x000000000000008an, 0x0000000000000088n, 0x0000000080008009n, 0x000000008000000an,
  0x000000008000808bn, 0x800000000000008bn, 0x8000000000008089n, 0x8000000000008003n,
  0x8000000000008002n, 0x8000000000000080n, 0x000000000000800an, 0x800000008000000an,
  0x8000000080008081n, 0x8000000000008080n, 0x0000000080000001n, 0x8000000080008008n,
];
/** ρ rotation of lane `x + 5y`. */
const RHO = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];
/** Keccak's pad10*1 for a 136-byte rate: 0x01 after the message, 0x80 in the last byte of the rate (lane 16). */
const PAD_FIRST = 1n;
const PAD_LAST = -(1n << 63n); // 0x8000000000000000 as a signed i64 immediate

// ---- a minimal WebAssembly encoder ---------------------------------------------------------

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function sleb(value: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => vec([...text].map((c) => [c.charCodeAt(0)]));

const get = (local: number) => [0x20, ...uleb(local)];
const set = (local: number) => [0x21, ...uleb(local)];
const i32 = (value: number) => [0x41, ...sleb(BigInt(value))];
const i64 = (value: bigint) => [0x42, ...sleb(value)];
const call = (fn: number) => [0x10, ...uleb(fn)];
const mem = (alignLog2: number, offset: number) => [...uleb(alignLog2), ...uleb(offset)];
const simd = (op: number, ...rest: number[]) => [0xfd, ...uleb(op), ...rest];
const [ADD, SUB, MUL, EQ, NE, GT_U, LOAD8_U] = [[0x6a], [0x6b], [0x6c], [0x46], [0x47], [0x4b], [0x2d, 0, 0]];
const [BLOCK, LOOP, IF, ELSE, END, RETURN] = [[0x02, 0x40], [0x03, 0x40], [0x04, 0x40], [0x05], [0x0b], [0x0f]];
const br = (depth: number) => [0x0c, ...uleb(depth)];
const brIf = (depth: number) => [0x0d, ...uleb(depth)];

/** How one Keccak lane is held: a scalar i64, or an i64x2 carrying lane j of two independent states. */
interface LaneKind {
  type: number;
  xor: number[];
  /** Pushes `~b & c` for locals b and c (χ). */
  notAnd(b: number, c: number): number[];
  /** Pushes `local` rotated left by `r` (0 < r < 64). */
  rotl(local: number, r: number): number[];
  /** Pushes round constant number `round/8` from the table (`round` is an i32 local counting bytes). */
  roundConstant(round: number): number[];
}

const SCALAR: LaneKind = {
  type: I64,
  xor: [0x85],
  notAnd: (b, c) => [...get(b), ...i64(-1n), 0x85, ...get(c), 0x83],
  rotl: (local, r) => [...get(local), ...i64(BigInt(r)), 0x89],
  roundConstant: (round) => [...get(round), 0x29, ...mem(3, RC_OFFSET)],
};

const PAIRED: LaneKind = {
  type: V128,
  xor: simd(0x51),
  notAnd: (b, c) => [...get(c), ...get(b), ...simd(0x4f)], // v128.andnot(c, b) = c & ~b
  rotl: (local, r) => [...get(local), ...i32(r), ...simd(0xcb), ...get(local), ...i32(64 - r), ...simd(0xcd), ...simd(0x50)],
  roundConstant: (round) => [...get(round), ...simd(0x0a, ...mem(3, RC_OFFSET))], // v128.load64_splat
};

/** Locals of a permutation: state A, scratch B, column parities C, D, a temporary and the round counter. */
function permutationLocals(first: number) {
  const range = (start: number, count: number) => Array.from({ length: count }, (_, i) => start + i);
  return { A: range(first, 25), B: range(first + 25, 30), C: range(first + 55, 5), D: range(first + 60, 5), T: first + 65, R: first + 66 };
}
type Locals = ReturnType<typeof permutationLocals>;

/** Keccak-f[1600]: 24 rounds of θ, ρ, π, χ, ι on the lanes in locals `A`. */
function permutation(k: LaneKind, { A, B, C, D, T, R }: Locals): number[] {
  const code: number[] = [...i32(0), ...set(R), ...LOOP];
  for (let x = 0; x < 5; x++) {
    code.push(...get(A[x]));
    for (let y = 1; y < 5; y++) code.push(...get(A[x + 5 * y]), ...k.xor);
    code.push(...set(C[x]));
  }
  for (let x = 0; x < 5; x++) code.push(...get(C[(x + 4) % 5]), ...k.rotl(C[(x + 1) % 5], 1), ...k.xor, ...set(D[x]));
  if (process.env.PLANE) {
    for (let Y = 0; Y < 5; Y++) {
      for (let X = 0; X < 5; X++) {
        const y = X, x = (3 * (((Y - 3 * X) % 5) + 5)) % 5;
        code.push(...get(A[x + 5 * y]), ...get(D[x]), ...k.xor);
        code.push(...(RHO[x + 5 * y] === 0 ? set(B[X]) : [...set(T), ...k.rotl(T, RHO[x + 5 * y]), ...set(B[X])]));
      }
      for (let X = 0; X < 5; X++) {
        code.push(...get(B[X]), ...k.notAnd(B[(X + 1) % 5], B[(X + 2) % 5]), ...k.xor, ...set(B[5 + X + 5 * Y]));
      }
    }
    // B[5..29] now hold the new state; rename (free in SSA).
    for (let j = 0; j < 25; j++) code.push(...get(B[5 + j]), ...set(A[j]));
  } else {
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      const target = B[y + 5 * ((2 * x + 3 * y) % 5)];
      code.push(...get(A[x + 5 * y]), ...get(D[x]), ...k.xor);
      code.push(...(RHO[x + 5 * y] === 0 ? set(target) : [...set(T), ...k.rotl(T, RHO[x + 5 * y]), ...set(target)]));
    }
  }
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      const lane = (i: number) => B[((x + i) % 5) + 5 * y];
      code.push(...get(lane(0)), ...k.notAnd(lane(1), lane(2)), ...k.xor, ...set(A[x + 5 * y]));
    }
  }
  }
  code.push(...get(A[0]), ...k.roundConstant(R), ...k.xor, ...set(A[0]));
  code.push(...get(R), ...i32(8), ...ADD, ...set(R), ...get(R), ...i32(8 * 24), ...NE, ...brIf(0), ...END);
  return code;
}

interface FunctionDef {
  params: number[];
  results: number[];
  locals: number[];
  code: number[];
  exportAs?: string;
}

/**
 * A Keccak-256 function whose input is `inputLanes` lanes read by `absorb` (which pushes lane j's
 * value) and whose 4 output lanes are written by `squeeze`. Locals start at zero (WASM zeroes
 * them), so only the message and padding lanes are set.
 */
function keccakFunction(
  k: LaneKind,
  params: number[],
  inputLanes: number,
  absorb: (lane: number) => number[],
  squeeze: (lane: number, value: number[]) => number[],
  exportAs?: string,
): FunctionDef {
  const L = permutationLocals(params.length);
  const code: number[] = [];
  for (let j = 0; j < inputLanes; j++) code.push(...absorb(j), ...set(L.A[j]));
  const padLane = (value: bigint) => (k === SCALAR ? i64(value) : [...i64(value), ...simd(0x12)]); // i64x2.splat
  code.push(...padLane(PAD_FIRST), ...set(L.A[inputLanes]), ...padLane(PAD_LAST), ...set(L.A[16]));
  code.push(...permutation(k, L));
  for (let j = 0; j < 4; j++) code.push(...squeeze(j, get(L.A[j])));
  return { params, results: [], locals: [...Array(66).fill(k.type), I32], code, exportAs };
}

const load64 = (ptr: number, lane: number) => [...get(ptr), 0x29, ...mem(3, 8 * lane)];
const store64 = (ptr: number, lane: number, value: number[]) => [...get(ptr), ...value, 0x37, ...mem(3, 8 * lane)];
/** An i64x2 whose halves are lane `lane` at `ptr0` and at `ptr1`. */
const loadPair = (ptr0: number, ptr1: number, lane: number) => [
  ...load64(ptr0, lane), ...simd(0x12), ...load64(ptr1, lane), ...simd(0x1e, 1), // splat, replace_lane 1
];
const storeHalf = (ptr: number, lane: number, value: number[], half: number) =>
  store64(ptr, lane, [...value, ...simd(0x1d, half)]); // i64x2.extract_lane

// Function indices, in the order of `functions` below.
const F = { keccak32: 0, keccakPair: 1, pairNeedsSwap: 2, leaves: 3, innerNodes: 4, keccak32x2: 5, keccakPairx2: 6 };

function moduleFunctions(paired: boolean): FunctionDef[] {
  const fns: FunctionDef[] = [
    // keccak32(src, dst): dst = keccak256(src[0..32])
    keccakFunction(SCALAR, [I32, I32], 4, (j) => load64(0, j), (j, v) => store64(1, j, v), "keccak32"),
    // keccakPair(lo, hi, dst): dst = keccak256(lo[0..32] ‖ hi[0..32])
    keccakFunction(SCALAR, [I32, I32, I32], 8, (j) => (j < 4 ? load64(0, j) : load64(1, j - 4)), (j, v) => store64(2, j, v), "keccakPair"),
    // pairNeedsSwap(a, b) -> 1 when b < a as big-endian bytes (OpenZeppelin's sorted pair)
    {
      params: [I32, I32], results: [I32], locals: [I32, I32, I32],
      code: [
        ...LOOP,
        ...get(0), ...get(2), ...ADD, ...LOAD8_U, ...set(3), ...get(1), ...get(2), ...ADD, ...LOAD8_U, ...set(4),
        ...get(3), ...get(4), ...NE, ...IF, ...get(3), ...get(4), ...GT_U, ...RETURN, ...END,
        ...get(2), ...i32(1), ...ADD, ...set(2), ...get(2), ...i32(32), ...NE, ...brIf(0),
        ...END, ...i32(0),
      ],
    },
  ];
  // leaves(ptr, n): each 32-byte entry hash at ptr becomes its leaf keccak256(keccak256(e)), in place.
  // With SIMD, two entries at a time; the odd last one alone.
  const leafOne = [...get(0), ...get(0), ...call(F.keccak32), ...get(0), ...get(0), ...call(F.keccak32)];
  const leafTwo = [...get(0), ...get(0), ...get(3), ...get(3), ...call(F.keccak32x2), ...get(0), ...get(0), ...get(3), ...get(3), ...call(F.keccak32x2)];
  fns.push({
    params: [I32, I32], results: [], locals: [I32, I32], exportAs: "leaves",
    code: paired
      ? [
          ...get(1), ...i32(1), ...(/* i32.shr_u */ [0x76]), ...set(2), // pairs = n >> 1
          ...BLOCK, ...get(2), ...[0x45], ...brIf(0), ...LOOP, // i32.eqz
          ...get(0), ...i32(32), ...ADD, ...set(3), ...leafTwo, ...get(0), ...i32(64), ...ADD, ...set(0),
          ...get(2), ...i32(1), ...SUB, ...set(2), ...get(2), ...brIf(0), ...END, ...END,
          ...get(1), ...i32(1), ...(/* i32.and */ [0x71]), ...IF, ...leafOne, ...END,
        ]
      : [...LOOP, ...leafOne, ...get(0), ...i32(32), ...ADD, ...set(0), ...get(1), ...i32(1), ...SUB, ...set(1), ...get(1), ...brIf(0), ...END],
  });
  // innerNodes(base, kFrom, kTo): for k = kFrom down to kTo, node k = sortedPair(node 2k+1, node 2k+2),
  // node k at base + 32k. With SIMD, nodes k and k-1 together: neither is the other's child when k >= 2.
  const childrenOf = (k: number, a: number, b: number, dst: number) => [
    ...get(0), ...get(k), ...i32(64), ...MUL, ...ADD, ...i32(32), ...ADD, ...set(a),
    ...get(a), ...i32(32), ...ADD, ...set(b), ...get(0), ...get(k), ...i32(32), ...MUL, ...ADD, ...set(dst),
    ...get(a), ...get(b), ...call(F.pairNeedsSwap), ...IF, ...get(a), ...set(9), ...get(b), ...set(a), ...get(9), ...set(b), ...END,
  ];
  const innerOne = [...childrenOf(1, 3, 4, 5), ...get(3), ...get(4), ...get(5), ...call(F.keccakPair)];
  const innerTwo = [
    ...childrenOf(1, 3, 4, 5), ...get(1), ...i32(1), ...SUB, ...set(10), ...childrenOf(10, 6, 7, 8),
    ...get(3), ...get(4), ...get(5), ...get(6), ...get(7), ...get(8), ...call(F.keccakPairx2),
  ];
  const step = (by: number) => [...get(1), ...i32(by), ...SUB, ...set(1)];
  fns.push({
    params: [I32, I32, I32], results: [], locals: Array(8).fill(I32), exportAs: "innerNodes",
    code: [
      ...BLOCK, ...LOOP,
      ...(paired
        ? [...get(1), ...get(2), ...GT_U, ...get(1), ...i32(2), ...[0x4f] /* i32.ge_u */, ...[0x71], ...IF, ...innerTwo, ...get(10), ...get(2), ...EQ, ...brIf(2), ...step(2), ...br(1), ...END]
        : []),
      ...innerOne, ...get(1), ...get(2), ...EQ, ...brIf(1), ...step(1), ...br(0),
      ...END, ...END,
    ],
  });
  if (paired) {
    // keccak32x2(src0, dst0, src1, dst1) and keccakPairx2(lo0, hi0, dst0, lo1, hi1, dst1): two hashes at once.
    fns.push(keccakFunction(PAIRED, [I32, I32, I32, I32], 4, (j) => loadPair(0, 2, j), (j, v) => [...storeHalf(1, j, v, 0), ...storeHalf(3, j, v, 1)], "keccak32x2"));
    fns.push(
      keccakFunction(PAIRED, [I32, I32, I32, I32, I32, I32], 8, (j) => (j < 4 ? loadPair(0, 3, j) : loadPair(1, 4, j - 4)),
        (j, v) => [...storeHalf(2, j, v, 0), ...storeHalf(5, j, v, 1)], "keccakPairx2"),
    );
  }
  return fns;
}

/** The module's bytes; `paired` adds the two-at-a-time SIMD functions and uses them in the loops. */
export function keccakModuleBytes(paired: boolean): Uint8Array {
  const fns = moduleFunctions(paired);
  const types = fns.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const rcBytes = ROUND_CONSTANTS.flatMap((rc) => Array.from({ length: 8 }, (_, i) => Number((rc >> BigInt(8 * i)) & 0xffn)));
  const body = (f: FunctionDef) => {
    const locals = vec(f.locals.map((t) => [1, t]));
    const code = [...locals, ...f.code, ...END];
    return [...uleb(code.length), ...code];
  };
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec(fns.map((_, i) => uleb(i)))),
    ...section(7, vec(fns.flatMap((f, i) => (f.exportAs ? [[...name(f.exportAs), 0x00, ...uleb(i)]] : [])))),
    ...section(10, vec(fns.map(body))),
    ...section(11, vec([[0x00, ...i32(RC_OFFSET), ...END, ...vec(rcBytes.map((b) => [b]))]])),
  ]);
}
