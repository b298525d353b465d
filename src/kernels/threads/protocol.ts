/**
 * The control block shared by the main thread and the helper: an Int32Array over a
 * SharedArrayBuffer. A job is a number of blocks that either thread may claim.
 *
 * Publishing (main thread only): SEQ becomes odd, the job is written (KIND, NBLOCKS, PARAMS,
 * DONE = 0, flags cleared, NEXT = tag << TAG_SHIFT), then SEQ becomes even and is notified.
 * The helper reads the job between two reads of an even SEQ (a seqlock), so it never acts on
 * a half-written job. Claiming: compare-exchange NEXT from v to v + 1 while v's tag is the
 * job's and its index is below NBLOCKS, so a helper that wakes late cannot claim a block of a
 * later job with the parameters of an earlier one. Each finished block sets its flag (1 main,
 * 2 helper) and increments DONE; the main thread waits for DONE = NBLOCKS.
 */
export const CTL = {
  SEQ: 0,
  NEXT: 1,
  DONE: 2,
  KIND: 3,
  NBLOCKS: 4,
  PARAMS: 5,
  NPARAMS: 10,
  FLAGS: 16,
  MAX_BLOCKS: 8192,
  /** A word nobody writes (FLAGS + MAX_BLOCKS): something to wait on for a given time. */
  IDLE: 16 + 8192,
  SIZE: 16 + 8192 + 1,
  TAG_SHIFT: 20,
  TAG_MASK: 0x7ff,
  INDEX_MASK: 0xfffff,
  GEMM: 1,
  UNARY: 2,
  STOP: 3,
  /** Tests only: the helper sleeps PARAMS[0] ms on each block it claims. */
  SLEEP: 4,
} as const;
