/**
 * Keccak-256 specialised for the block tree's two input shapes — a 32-byte entry hash (leaves) and
 * a 64-byte sorted pair (inner nodes) — as a small WebAssembly module written here instruction by
 * instruction. There is no binary blob to trust: the module is generated from this source, and
 * the tests check it against @noble/hashes on random and edge inputs.
 *
 * Why: a million-entry tree needs ~3 million Keccak permutations. A general-purpose hash called
 * from JS costs microseconds each (allocation, padding, copies, a JS↔WASM crossing per call);
 * here the loops over leaves and nodes run inside WASM on 64-bit lanes. Where the engine has SIMD,
 * three independent hashes run together: two share each 128-bit instruction and the third runs on
 * scalar i64 instructions interleaved with them, so both the vector and the integer units work.
 * Measured on the 2-core dev machine: ~3M hashes/s, against ~2.3M for SIMD pairs alone, ~2M one
 * at a time, 0.7M for hash-wasm and 0.13M for @noble/hashes called per hash (bench/merkle.bench.ts).
 *
 * Memory layout of a kernel: the round constants at `RC_OFFSET`; callers' data from
 * `KERNEL_HEADER_BYTES`.
 */
import { encodeModule, I32, I64, op, V128, type FunctionDef } from "./wasm-encoder";

const RC_OFFSET = 256;
/** First byte of a kernel's memory that callers may use; everything below belongs to the kernel. */
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
/** Keccak's pad10*1 at a 136-byte rate: 0x01 right after the message, 0x80 in the rate's last byte (lane 16). */
const PAD_FIRST = 1n;
const PAD_LAST = -(1n << 63n); // 0x8000000000000000 as a signed i64 immediate

const { localGet: get, localSet: set } = op;

/** How a Keccak lane is held: a scalar i64 (one state), or an i64x2 holding that lane of two states. */
interface LaneKind {
  type: number;
  /** How many states one set of locals holds. */
  width: 1 | 2;
  xor: number[];
  /** Pushes `~b & c` for locals b and c (χ). */
  notAnd(b: number, c: number): number[];
  /** Pushes `local` rotated left by `r` bits, 0 < r < 64. */
  rotl(local: number, r: number): number[];
  /** Pushes round constant `round / 8 + index` (`round` is an i32 local counting bytes of the table). */
  roundConstant(round: number, index: number): number[];
  /** Pushes `value` in every half. */
  constant(value: bigint): number[];
}

const SCALAR: LaneKind = {
  type: I64,
  width: 1,
  xor: op.i64Xor,
  notAnd: (b, c) => [...get(b), ...op.i64Const(-1n), ...op.i64Xor, ...get(c), ...op.i64And],
  rotl: (local, r) => [...get(local), ...op.i64Const(BigInt(r)), ...op.i64Rotl],
  roundConstant: (round, index) => [...get(round), ...op.i64Load(RC_OFFSET + 8 * index)],
  constant: (value) => op.i64Const(value),
};

const PAIRED: LaneKind = {
  type: V128,
  width: 2,
  xor: op.v128Xor,
  notAnd: (b, c) => [...get(c), ...get(b), ...op.v128AndNot],
  // WASM SIMD has no 64-bit rotate: shl | shr_u. (Byte shuffles for the 8- and 56-bit offsets measured no faster.)
  rotl: (local, r) => [
    ...get(local), ...op.i32Const(r), ...op.i64x2Shl, ...get(local), ...op.i32Const(64 - r), ...op.i64x2ShrU, ...op.v128Or,
  ],
  roundConstant: (round, index) => [...get(round), ...op.v128Load64Splat(RC_OFFSET + 8 * index)],
  constant: (value) => [...op.i64Const(value), ...op.i64x2Splat],
};

/** Locals of one lane kind's permutation from index `first`: state A, next state E, one plane B, parities C and D, a temporary. */
function permutationLocals(first: number) {
  const range = (start: number, count: number) => Array.from({ length: count }, (_, i) => start + i);
  return { A: range(first, 25), E: range(first + 25, 25), B: range(first + 50, 5), C: range(first + 55, 5), D: range(first + 60, 5), T: first + 65 };
}
type Locals = ReturnType<typeof permutationLocals>;
const LANE_LOCALS = 66;

/**
 * One round, state `S` to state `N`, as a list of steps that each leave the stack as they found it,
 * so the steps of independent states can be interleaved. ρ and π feed χ one output plane at a time:
 * only five rotated lanes are live at once (measured ~10% faster than rotating all 25 first).
 */
function roundSteps(k: LaneKind, S: number[], N: number[], { B, C, D, T }: Locals, R: number, rcIndex: number): number[][] {
  const steps: number[][] = [];
  for (let x = 0; x < 5; x++) {
    const parity = [...get(S[x])];
    for (let y = 1; y < 5; y++) parity.push(...get(S[x + 5 * y]), ...k.xor);
    steps.push([...parity, ...set(C[x])]);
  }
  for (let x = 0; x < 5; x++) steps.push([...get(C[(x + 4) % 5]), ...k.rotl(C[(x + 1) % 5], 1), ...k.xor, ...set(D[x])]);
  for (let Y = 0; Y < 5; Y++) {
    for (let X = 0; X < 5; X++) {
      // π moves lane (x, y) to (y, 2x + 3y), so output lane (X, Y) comes from y = X, x = 3(Y - 3X) mod 5.
      const x = (3 * (Y - 3 * X + 15)) % 5;
      const lane = x + 5 * X;
      const rotate = RHO[lane] === 0 ? [] : [...set(T), ...k.rotl(T, RHO[lane])];
      steps.push([...get(S[lane]), ...get(D[x]), ...k.xor, ...rotate, ...set(B[X])]);
    }
    for (let X = 0; X < 5; X++) {
      const iota = X === 0 && Y === 0 ? [...k.roundConstant(R, rcIndex), ...k.xor] : [];
      steps.push([...get(B[X]), ...k.notAnd(B[(X + 1) % 5], B[(X + 2) % 5]), ...k.xor, ...iota, ...set(N[X + 5 * Y])]);
    }
  }
  return steps;
}

/**
 * Keccak-f[1600] on the lanes in locals `A` of every kind at once, their steps interleaved: 24
 * rounds, two per loop iteration (A → E → A), which measured ~15% faster than one round and a copy
 * back, and as fast as unrolling all 24.
 */
function permutations(kinds: LaneKind[], locals: Locals[], R: number): number[] {
  const interleave = (lists: number[][][]) => lists[0].flatMap((_, i) => lists.flatMap((steps) => steps[i]));
  const round = (from: "A" | "E", to: "A" | "E", rcIndex: number) =>
    interleave(kinds.map((k, i) => roundSteps(k, locals[i][from], locals[i][to], locals[i], R, rcIndex)));
  return [
    ...op.i32Const(0), ...set(R),
    ...op.loop, ...round("A", "E", 0), ...round("E", "A", 1),
    ...get(R), ...op.i32Const(16), ...op.i32Add, ...set(R),
    ...get(R), ...op.i32Const(8 * 24), ...op.i32Ne, ...op.brIf(0),
    ...op.end,
  ];
}

const load64 = (ptr: number, lane: number) => [...get(ptr), ...op.i64Load(8 * lane)];
const store64 = (ptr: number, lane: number, pushValue: number[]) => [...get(ptr), ...pushValue, ...op.i64Store(8 * lane)];

/**
 * A function hashing `kinds.reduce(width)` independent messages of `messageBytes` (32 or 64) bytes.
 * Parameters per message h: for 32 bytes `(src, dst)`, for 64 bytes `(lo, hi, dst)` — the message is
 * lo[0..32] ‖ hi[0..32]. WASM zeroes locals on entry, so only message and padding lanes are set.
 */
function keccakFunction(kinds: LaneKind[], messageBytes: 32 | 64, exportAs: string): FunctionDef {
  const perMessage = messageBytes === 32 ? 2 : 3;
  const messages = kinds.reduce((n, k) => n + k.width, 0);
  const params: number[] = Array(perMessage * messages).fill(I32);
  const messageLane = (h: number, j: number) => (j < 4 ? load64(perMessage * h, j) : load64(perMessage * h + 1, j - 4));
  const dst = (h: number) => perMessage * h + perMessage - 1;
  const locals = kinds.map((_, i) => permutationLocals(params.length + LANE_LOCALS * i));
  const R = params.length + LANE_LOCALS * kinds.length;
  const inputLanes = messageBytes / 8;

  const absorb: number[] = [];
  const squeeze: number[] = [];
  let h = 0;
  kinds.forEach((k, i) => {
    const { A } = locals[i];
    for (let j = 0; j < inputLanes; j++) {
      const value = k.width === 1 ? messageLane(h, j) : [...messageLane(h, j), ...op.i64x2Splat, ...messageLane(h + 1, j), ...op.i64x2ReplaceLane(1)];
      absorb.push(...value, ...set(A[j]));
    }
    absorb.push(...k.constant(PAD_FIRST), ...set(A[inputLanes]), ...k.constant(PAD_LAST), ...set(A[16]));
    for (let j = 0; j < 4; j++) {
      if (k.width === 1) squeeze.push(...store64(dst(h), j, get(A[j])));
      else for (let half = 0; half < 2; half++) squeeze.push(...store64(dst(h + half), j, [...get(A[j]), ...op.i64x2ExtractLane(half)]));
    }
    h += k.width;
  });
  return {
    params, results: [], exportAs,
    locals: [...kinds.flatMap((k) => Array(LANE_LOCALS).fill(k.type)), I32],
    code: [...absorb, ...permutations(kinds, locals, R), ...squeeze],
  };
}

/** Function indices, in the order `keccakModuleBytes` lists them. */
const F = { keccak32: 0, keccakPair: 1, pairNeedsSwap: 2, leaves: 3, innerNodes: 4, gatherLeaves: 5, keccak32x3: 6, keccakPairx3: 7 };
/** Messages hashed per call by the x3 functions: a SIMD pair and one scalar. */
const GROUP = 3;

/** `pairNeedsSwap(a, b) -> i32`: 1 when the 32 bytes at b sort before those at a (OpenZeppelin's sorted pair). */
function pairNeedsSwap(): FunctionDef {
  const [a, b, i, x, y] = [0, 1, 2, 3, 4];
  return {
    params: [I32, I32], results: [I32], locals: [I32, I32, I32],
    code: [
      ...op.loop,
      ...get(a), ...get(i), ...op.i32Add, ...op.i32Load8U(), ...set(x),
      ...get(b), ...get(i), ...op.i32Add, ...op.i32Load8U(), ...set(y),
      ...get(x), ...get(y), ...op.i32Ne, ...op.if, ...get(x), ...get(y), ...op.i32GtU, ...op.return, ...op.end,
      ...get(i), ...op.i32Const(1), ...op.i32Add, ...set(i),
      ...get(i), ...op.i32Const(32), ...op.i32Ne, ...op.brIf(0),
      ...op.end,
      ...op.i32Const(0),
    ],
  };
}

/** A loop running `body` while `rest >= step`, subtracting `step` each time. */
const whileAtLeast = (rest: number, step: number, body: number[]) => [
  ...op.block, ...op.loop,
  ...get(rest), ...op.i32Const(step), ...op.i32LtU, ...op.brIf(1),
  ...body, ...get(rest), ...op.i32Const(step), ...op.i32Sub, ...set(rest), ...op.br(0),
  ...op.end, ...op.end,
];

/** `leaves(ptr, count)`: each entry hash e at ptr becomes its leaf keccak256(keccak256(e)), in place; three at a time with SIMD. */
function leaves(grouped: boolean): FunctionDef {
  const [ptr, rest] = [0, 1];
  const at = (i: number) => [...get(ptr), ...op.i32Const(32 * i), ...op.i32Add];
  const advance = (entries: number) => [...get(ptr), ...op.i32Const(32 * entries), ...op.i32Add, ...set(ptr)];
  const one = [...at(0), ...at(0), ...op.call(F.keccak32)];
  const three = [...[0, 0, 1, 1, 2, 2].flatMap(at), ...op.call(F.keccak32x3)];
  return {
    params: [I32, I32], results: [], locals: [], exportAs: "leaves",
    code: [
      ...(grouped ? whileAtLeast(rest, GROUP, [...three, ...three, ...advance(GROUP)]) : []),
      ...whileAtLeast(rest, 1, [...one, ...one, ...advance(1)]),
    ],
  };
}

/**
 * `innerNodes(base, kFrom, kTo)`, kFrom >= kTo >= 0: for k from kFrom down to kTo, node k = the
 * sorted-pair hash of nodes 2k+1 and 2k+2, node k being at base + 32k. With SIMD it hashes nodes
 * k, k-1 and k-2 together: for k >= 4 none is an ancestor of another, and all their children
 * (indices above k) are already done.
 */
function innerNodes(grouped: boolean): FunctionDef {
  const [base, k, kTo, swap, node] = [0, 1, 2, 3, 4];
  const lo = (i: number) => 5 + 3 * i;
  const hi = (i: number) => 6 + 3 * i;
  const dst = (i: number) => 7 + 3 * i;
  /** Sets lo(i), hi(i), dst(i) for node k - i, children in sorted order. */
  const prepare = (i: number) => [
    ...get(k), ...op.i32Const(i), ...op.i32Sub, ...set(node),
    ...get(base), ...get(node), ...op.i32Const(64), ...op.i32Mul, ...op.i32Add, ...op.i32Const(32), ...op.i32Add, ...set(lo(i)),
    ...get(lo(i)), ...op.i32Const(32), ...op.i32Add, ...set(hi(i)),
    ...get(base), ...get(node), ...op.i32Const(32), ...op.i32Mul, ...op.i32Add, ...set(dst(i)),
    ...get(lo(i)), ...get(hi(i)), ...op.call(F.pairNeedsSwap),
    ...op.if, ...get(lo(i)), ...set(swap), ...get(hi(i)), ...set(lo(i)), ...get(swap), ...set(hi(i)), ...op.end,
  ];
  const args = (i: number) => [...get(lo(i)), ...get(hi(i)), ...get(dst(i))];
  const one = [...prepare(0), ...args(0), ...op.call(F.keccakPair)];
  const three = [...prepare(0), ...prepare(1), ...prepare(2), ...args(0), ...args(1), ...args(2), ...op.call(F.keccakPairx3)];
  const stepDown = (by: number) => [...get(k), ...op.i32Const(by), ...op.i32Sub, ...set(k)];
  const threeAtATime = [
    ...get(k), ...get(kTo), ...op.i32Sub, ...op.i32Const(GROUP - 1), ...op.i32GeU, // k - kTo >= 2: all three in range
    ...get(k), ...op.i32Const(4), ...op.i32GeU, ...op.i32And,
    ...op.if, ...three, ...get(k), ...get(kTo), ...op.i32Sub, ...op.i32Const(GROUP - 1), ...op.i32Eq, ...op.brIf(2),
    ...stepDown(GROUP), ...op.br(1), ...op.end,
  ];
  return {
    params: [I32, I32, I32], results: [], locals: Array(2 + 3 * GROUP).fill(I32), exportAs: "innerNodes",
    code: [
      ...op.block, ...op.loop,
      ...(grouped ? threeAtATime : []),
      ...one, ...get(k), ...get(kTo), ...op.i32Eq, ...op.brIf(1), ...stepDown(1), ...op.br(0),
      ...op.end, ...op.end,
    ],
  };
}

/**
 * `gatherLeaves(order, leaves, firstSlot, count)`, count >= 1: for i < count, copies the 32 bytes at
 * leaves + 32·u32[order + 4i] to firstSlot − 32i. Here rather than in JS because these random reads
 * ran ~3× faster in WASM than as Int32Array copies.
 */
function gatherLeaves(): FunctionDef {
  const [order, leavesAt, slot, count, from] = [0, 1, 2, 3, 4];
  const copyLane = (lane: number) => [...get(slot), ...get(from), ...op.i64Load(8 * lane), ...op.i64Store(8 * lane)];
  return {
    params: [I32, I32, I32, I32], results: [], locals: [I32], exportAs: "gatherLeaves",
    code: [
      ...op.loop,
      ...get(leavesAt), ...get(order), ...op.i32Load(), ...op.i32Const(5), ...op.i32Shl, ...op.i32Add, ...set(from),
      ...copyLane(0), ...copyLane(1), ...copyLane(2), ...copyLane(3),
      ...get(order), ...op.i32Const(4), ...op.i32Add, ...set(order),
      ...get(slot), ...op.i32Const(32), ...op.i32Sub, ...set(slot),
      ...get(count), ...op.i32Const(1), ...op.i32Sub, ...set(count), ...get(count), ...op.brIf(0),
      ...op.end,
    ],
  };
}

/**
 * The kernel module's bytes. `grouped` (engines with SIMD) adds `keccak32x3` and `keccakPairx3`,
 * three hashes per call, and uses them in the leaf and node loops; without it everything is scalar.
 */
export function keccakModuleBytes(grouped: boolean): Uint8Array<ArrayBuffer> {
  const functions = [
    keccakFunction([SCALAR], 32, "keccak32"),
    keccakFunction([SCALAR], 64, "keccakPair"),
    pairNeedsSwap(),
    leaves(grouped),
    innerNodes(grouped),
    gatherLeaves(),
  ];
  if (grouped) functions.push(keccakFunction([PAIRED, SCALAR], 32, "keccak32x3"), keccakFunction([PAIRED, SCALAR], 64, "keccakPairx3"));
  const rcBytes = ROUND_CONSTANTS.flatMap((rc) => Array.from({ length: 8 }, (_, i) => Number((rc >> BigInt(8 * i)) & 0xffn)));
  return encodeModule(functions, RC_OFFSET, rcBytes);
}
