'use strict';
// poll-oneoff.js — a wasi_snapshot_preview1.poll_oneoff that gets absolute
// clock timeouts right, over node:wasi's own.
//
// node:wasi (uvwasi, Node 20: uvwasi 0.0.23) turns a clock subscription with
// SUBSCRIPTION_CLOCK_ABSTIME into a delay by subtracting CLOCK_REALTIME's
// "now", whatever clock the subscription names.  For CLOCK_MONOTONIC the
// deadline (nanoseconds since boot) minus the wall clock (nanoseconds since
// 1970) wraps around in 64 bits: the guest sleeps forever (libuv waits
// INT_MAX ms at a time).  wasi-libc's clock_nanosleep(..., TIMER_ABSTIME, ...)
// sends exactly that, and CPython 3.13's time.sleep() uses it with
// CLOCK_MONOTONIC: time.sleep(0.01) never returned.
//
// The wrapper rewrites every ABSTIME clock subscription to the equivalent
// relative one, max(0, deadline - now), with "now" read from node:wasi's
// clock_time_get for the subscription's own clock (the guest's timebase,
// whatever uvwasi uses for it), calls node:wasi's poll_oneoff, and puts the
// guest's subscriptions back as they were.  Relative timeouts are what every
// implementation gets right, so this is correct with or without the bug.
// Subscriptions without the flag cost one byte read each.

const SUBSCRIPTION_SIZE = 48;
const EVENT_SIZE = 32;
// Offsets inside a subscription (wasi-libc <wasi/api.h>, the witx).
const OFF_TAG = 8; // u8, 0 = clock
const OFF_CLOCK_ID = 16; // u32
const OFF_TIMEOUT = 24; // u64
const OFF_PRECISION = 32; // u64
const OFF_FLAGS = 40; // u16
const EVENTTYPE_CLOCK = 0;
const SUBSCRIPTION_CLOCK_ABSTIME = 1;
const ERRNO_SUCCESS = 0;
const MS = 1000000n;

// wasiImport: node:wasi's wasi_snapshot_preview1 functions; getMemory():
// the guest's WebAssembly.Memory (set once instantiated).  Returns the
// replacement poll_oneoff.
function wrapPollOneoff(wasiImport, getMemory) {
  const pollOneoff = wasiImport.poll_oneoff;
  const clockTimeGet = wasiImport.clock_time_get;
  return function poll_oneoff(inPtr, outPtr, nsubscriptions, neventsPtr) {
    const memory = getMemory();
    const n = nsubscriptions >>> 0;
    const base = inPtr >>> 0;
    if (!memory || n === 0) return pollOneoff(inPtr, outPtr, nsubscriptions, neventsPtr);
    const size = memory.buffer.byteLength;
    // Out of bounds: node:wasi's own checks answer (EFAULT).
    if (base > size || n * SUBSCRIPTION_SIZE > size - base) {
      return pollOneoff(inPtr, outPtr, nsubscriptions, neventsPtr);
    }
    const bytes = new Uint8Array(memory.buffer);
    let saved = null;
    for (let i = 0; i < n; i++) {
      const sub = base + i * SUBSCRIPTION_SIZE;
      if (bytes[sub + OFF_TAG] !== EVENTTYPE_CLOCK) continue;
      let view = new DataView(memory.buffer);
      const flags = view.getUint16(sub + OFF_FLAGS, true);
      if (!(flags & SUBSCRIPTION_CLOCK_ABSTIME)) continue;
      const deadline = view.getBigUint64(sub + OFF_TIMEOUT, true);
      // "now" on the subscription's clock, written over its timeout field
      // (memory the guest handed us; restored below).
      const err = clockTimeGet(view.getUint32(sub + OFF_CLOCK_ID, true),
        view.getBigUint64(sub + OFF_PRECISION, true), sub + OFF_TIMEOUT);
      view = new DataView(memory.buffer);
      if (err !== ERRNO_SUCCESS) {
        // An unknown clock: leave it to node:wasi to refuse.
        view.setBigUint64(sub + OFF_TIMEOUT, deadline, true);
        continue;
      }
      const now = view.getBigUint64(sub + OFF_TIMEOUT, true);
      // Rounded up to whole milliseconds: uvwasi's timer truncates to
      // milliseconds, and a deadline must not pass early (99.9 ms -> 99 ms,
      // 0.9 ms -> no wait at all).
      let delay = deadline > now ? deadline - now : 0n;
      if (delay % MS !== 0n) delay += MS - (delay % MS);
      view.setBigUint64(sub + OFF_TIMEOUT, delay, true);
      view.setUint16(sub + OFF_FLAGS, flags & ~SUBSCRIPTION_CLOCK_ABSTIME, true);
      (saved || (saved = [])).push(sub, deadline, flags);
    }
    if (saved === null) return pollOneoff(inPtr, outPtr, nsubscriptions, neventsPtr);
    try {
      return pollOneoff(inPtr, outPtr, nsubscriptions, neventsPtr);
    } finally {
      // The guest may poll with the same subscriptions again.  Bytes that
      // poll_oneoff itself wrote (events or nevents over the subscriptions)
      // are left alone.
      const view = new DataView(memory.buffer);
      const out = outPtr >>> 0;
      const outEnd = out + n * EVENT_SIZE;
      const ne = neventsPtr >>> 0;
      for (let k = 0; k < saved.length; k += 3) {
        const sub = saved[k];
        const lo = sub + OFF_TIMEOUT;
        const hi = sub + OFF_FLAGS + 2;
        if ((lo < outEnd && out < hi) || (lo < ne + 4 && ne < hi)) continue;
        view.setBigUint64(sub + OFF_TIMEOUT, saved[k + 1], true);
        view.setUint16(sub + OFF_FLAGS, saved[k + 2], true);
      }
    }
  };
}

module.exports = { wrapPollOneoff, SUBSCRIPTION_CLOCK_ABSTIME };
