/**
 * HMAC-SHA-256 (RFC 2104 over FIPS 180-4 SHA-256) for one fixed key and many short messages: the
 * key's inner and outer pad blocks are compressed once, and each message then costs two or three
 * compressions in preallocated buffers, with no allocation but the 32-byte result. Synchronous and
 * pure TypeScript, so the same code runs in browser workers and in Node (WebCrypto is async). The
 * UID map hashes one new SOP Instance UID per file with it (uid-map.ts); tested against Node's
 * crypto.createHmac.
 */

// FIPS 180-4 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
// biome-ignore format: the constants as the standard lists them, eight a line
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
// FIPS 180-4 5.3.3: the initial hash value.
const IV = new Uint32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const W = new Uint32Array(64);

/** One SHA-256 compression (FIPS 180-4 6.2.2) of the 64-byte block at `at` into `state`. */
function compress(state: Uint32Array, block: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++) {
    const j = at + i * 4;
    W[i] = (block[j]! << 24) | (block[j + 1]! << 16) | (block[j + 2]! << 8) | block[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/**
 * Hashes the rest of a message (`length` bytes at the start of `tail`, which has room for two
 * blocks) after `prefixBytes` bytes already compressed into `state`: FIPS 180-4 5.1.1 padding
 * (0x80, zeros, the 64-bit big-endian bit length), then the last one or two compressions.
 */
function finish(state: Uint32Array, tail: Uint8Array, length: number, prefixBytes: number): void {
  tail[length] = 0x80;
  const blocks = length + 9 <= 64 ? 1 : 2;
  const end = blocks * 64;
  tail.fill(0, length + 1, end - 8);
  const bits = (prefixBytes + length) * 8;
  // Messages here are far below 2^32 bits: the high word is written for completeness.
  const high = Math.floor(bits / 0x1_0000_0000);
  tail[end - 8] = high >>> 24;
  tail[end - 7] = (high >>> 16) & 0xff;
  tail[end - 6] = (high >>> 8) & 0xff;
  tail[end - 5] = high & 0xff;
  tail[end - 4] = bits >>> 24;
  tail[end - 3] = (bits >>> 16) & 0xff;
  tail[end - 2] = (bits >>> 8) & 0xff;
  tail[end - 1] = bits & 0xff;
  compress(state, tail, 0);
  if (blocks === 2) compress(state, tail, 64);
}

/**
 * HMAC-SHA-256 with a key fixed at construction.
 *
 * @example
 * const mac = new HmacSha256(new TextEncoder().encode('per-study-secret'));
 * mac.digest(new TextEncoder().encode('1.2.3.4')); // 32 bytes, equal to Node's createHmac('sha256', key)
 */
export class HmacSha256 {
  /** State after the inner pad block (key XOR 0x36…), and after the outer one (key XOR 0x5c…). */
  readonly #inner = new Uint32Array(8);
  readonly #outer = new Uint32Array(8);
  readonly #state = new Uint32Array(8);
  readonly #tail = new Uint8Array(128);

  constructor(key: Uint8Array) {
    // RFC 2104 2: a key longer than the block is hashed first; a shorter one is padded with zeros.
    let k = key;
    if (k.length > 64) k = sha256(k);
    const pad = new Uint8Array(64);
    pad.set(k);
    for (let i = 0; i < 64; i++) pad[i]! ^= 0x36;
    this.#inner.set(IV);
    compress(this.#inner, pad, 0);
    for (let i = 0; i < 64; i++) pad[i]! ^= 0x36 ^ 0x5c;
    this.#outer.set(IV);
    compress(this.#outer, pad, 0);
  }

  /** HMAC of `message` (any length) under the key: 32 bytes. */
  digest(message: Uint8Array): Uint8Array {
    const state = this.#state;
    const tail = this.#tail;
    state.set(this.#inner);
    // Whole blocks of a long message straight from it, the rest through the tail buffer.
    const whole = message.length - (message.length % 64);
    for (let at = 0; at < whole; at += 64) compress(state, message, at);
    tail.set(message.subarray(whole));
    finish(state, tail, message.length - whole, 64 + whole);
    // RFC 2104 2: the outer hash over the 32-byte inner digest, one block after the outer pad.
    writeWords(state, tail, 0);
    state.set(this.#outer);
    finish(state, tail, 32, 64);
    const out = new Uint8Array(32);
    writeWords(state, out, 0);
    return out;
  }

  /**
   * HMAC of a string of code units below 0x80 (an ASCII UID), without encoding it first; any other
   * string is UTF-8 encoded (what TextEncoder would give).
   *
   * @example
   * mac.digestAscii('1.2.3.4'); // same bytes as mac.digest(new TextEncoder().encode('1.2.3.4'))
   */
  digestAscii(text: string): Uint8Array {
    if (text.length > 64) return this.digest(encoder.encode(text));
    const tail = this.#tail;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) return this.digest(encoder.encode(text));
      tail[i] = c;
    }
    const state = this.#state;
    state.set(this.#inner);
    if (text.length === 64) {
      compress(state, tail, 0);
      finish(state, tail, 0, 128);
    } else {
      finish(state, tail, text.length, 64);
    }
    writeWords(state, tail, 0);
    state.set(this.#outer);
    finish(state, tail, 32, 64);
    const out = new Uint8Array(32);
    writeWords(state, out, 0);
    return out;
  }
}

const encoder = new TextEncoder();

function writeWords(state: Uint32Array, out: Uint8Array, at: number): void {
  for (let i = 0; i < 8; i++) {
    const w = state[i]!;
    out[at + i * 4] = w >>> 24;
    out[at + i * 4 + 1] = (w >>> 16) & 0xff;
    out[at + i * 4 + 2] = (w >>> 8) & 0xff;
    out[at + i * 4 + 3] = w & 0xff;
  }
}

/**
 * SHA-256 of a message (FIPS 180-4), for keys longer than one block.
 *
 * @example
 * sha256(new Uint8Array(0)); // e3b0c442…b855
 */
export function sha256(message: Uint8Array): Uint8Array {
  const state = new Uint32Array(IV);
  const whole = message.length - (message.length % 64);
  for (let at = 0; at < whole; at += 64) compress(state, message, at);
  const tail = new Uint8Array(128);
  tail.set(message.subarray(whole));
  finish(state, tail, message.length - whole, whole);
  const out = new Uint8Array(32);
  writeWords(state, out, 0);
  return out;
}
