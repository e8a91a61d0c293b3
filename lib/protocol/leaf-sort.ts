/**
 * Sorting a block's leaves without a comparator call per pair: a stable radix sort on the first
 * four bytes of each leaf, then a full comparison only inside runs that share those bytes. Leaves
 * are Keccak outputs, so such runs are rare (about n²/2³³ pairs: ~100 in a million), but any input
 * is sorted correctly, including duplicates.
 */

const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;

/**
 * The ascending order of `count` 32-byte leaves stored back to back in `bytes` from `offset`:
 * `order[i]` is the position of the `i`-th smallest leaf. Equal leaves keep their positions' order,
 * as the stable `Array.prototype.sort` in `buildBlockTree` and OpenZeppelin's library leaves them.
 */
export function sortLeafOrder(bytes: Uint8Array, offset: number, count: number): Uint32Array {
  let keys = new Uint32Array(count);
  for (let i = 0, at = offset; i < count; i++, at += 32) {
    keys[i] = ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
  }
  let order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;

  // Least-significant digit first: 11 + 11 + 10 bits. Each pass is stable, so ties stay in position order.
  let nextKeys = new Uint32Array(count);
  let nextOrder = new Uint32Array(count);
  const slots = new Uint32Array(RADIX);
  for (let shift = 0; shift < 32; shift += RADIX_BITS) {
    slots.fill(0);
    for (let i = 0; i < count; i++) slots[(keys[i] >>> shift) & (RADIX - 1)]++;
    let start = 0;
    for (let digit = 0; digit < RADIX; digit++) {
      const size = slots[digit];
      slots[digit] = start;
      start += size;
    }
    for (let i = 0; i < count; i++) {
      const key = keys[i];
      const to = slots[(key >>> shift) & (RADIX - 1)]++;
      nextKeys[to] = key;
      nextOrder[to] = order[i];
    }
    [keys, nextKeys] = [nextKeys, keys];
    [order, nextOrder] = [nextOrder, order];
  }

  for (let i = 0; i < count; ) {
    let end = i + 1;
    while (end < count && keys[end] === keys[i]) end++;
    if (end - i > 1) sortRunByFullLeaf(bytes, offset, order, i, end);
    i = end;
  }
  return order;
}

/** Orders `order[from..to)`, whose leaves share their first four bytes, by the remaining 28 bytes, then position. */
function sortRunByFullLeaf(bytes: Uint8Array, offset: number, order: Uint32Array, from: number, to: number): void {
  const compare = (a: number, b: number): number => {
    const atA = offset + 32 * a;
    const atB = offset + 32 * b;
    for (let j = 4; j < 32; j++) {
      const diff = bytes[atA + j] - bytes[atB + j];
      if (diff !== 0) return diff;
    }
    return a - b;
  };
  order.set(Array.from(order.subarray(from, to)).sort(compare), from);
}
