/**
 * The WebAssembly GEMM kernels, written with the small assembler in ./asm.ts.
 *
 * Layout (all float64, addresses in bytes):
 * - packed A: row tiles of MR rows; tile t holds A[t·MR + r, p] at ((t·k + p)·MR + r), so one
 *   pointer walks the k loop and the MR values of a step sit together;
 * - packed B: column panels of NR columns; panel j holds B[p, j·NR + c] at ((j·k + p)·NR + c);
 * - C: row-major with row stride `ldc` (a multiple of NR), tiles written whole.
 * Padding rows/columns are zeros, so the kernels only ever see whole tiles.
 */
import { block, br, brIf, f64, f64x2, i32, i8x16, if_, loop, v128, type Code, type FuncSpec } from "./asm.js";

export interface GemmShape {
  /** Rows of the register tile. */
  mr: number;
  /** Columns of the register tile (a multiple of 2: one f64x2 holds two columns). */
  nr: number;
}

/** Names of the accumulator locals. */
const acc = (r: number, v: number) => `c${r}_${v}`;

/**
 * `gemm_tiles(a, b, c, mTiles, nPanels, k, ldc, accumulate)`: for every B panel (outer, so the
 * panel stays in L1) and every A tile (inner), the MR×NR register tile of C = A·B, added to C
 * when `accumulate` is non-zero. With MR = 1 a packed A is plain row-major A, so that variant
 * (`gemm_tiles1`) serves products of a few rows without packing A.
 */
export function gemmTiles({ mr, nr }: GemmShape): FuncSpec {
  const nv = nr / 2;
  const locals: Record<string, "i32" | "v128"> = {
    jp: "i32",
    it: "i32",
    ap: "i32",
    bp: "i32",
    bEnd: "i32",
    bPanel: "i32",
    aTile: "i32",
    cTile: "i32",
    cp: "i32",
    aStride: "i32",
    bStride: "i32",
    x: "v128",
  };
  for (let v = 0; v < nv; v++) locals[`b${v}`] = "v128";
  for (let r = 0; r < mr; r++) for (let v = 0; v < nv; v++) locals[acc(r, v)] = "v128";
  return {
    name: mr === 1 ? "gemm_tiles1" : "gemm_tiles",
    params: {
      a: "i32",
      b: "i32",
      c: "i32",
      mTiles: "i32",
      nPanels: "i32",
      k: "i32",
      ldc: "i32",
      accumulate: "i32",
    },
    locals,
    body: (l) => {
      const g = l.get;
      const zeroAcc: Code[] = [];
      for (let r = 0; r < mr; r++) for (let v = 0; v < nv; v++) zeroAcc.push(l.set(acc(r, v), v128.zero()));
      // One k step: load the B row of the panel, then each A value once, splatted.
      const step: Code[] = [];
      for (let v = 0; v < nv; v++) step.push(l.set(`b${v}`, v128.load(g("bp"), 16 * v)));
      for (let r = 0; r < mr; r++) {
        step.push(l.set("x", v128.load64Splat(g("ap"), 8 * r)));
        for (let v = 0; v < nv; v++)
          step.push(l.set(acc(r, v), f64x2.add(g(acc(r, v)), f64x2.mul(g("x"), g(`b${v}`)))));
      }
      step.push(l.set("ap", i32.add(g("ap"), i32.const(8 * mr))));
      step.push(l.set("bp", i32.add(g("bp"), i32.const(8 * nr))));
      // Write the tile: C row r, vector v at cTile + r·ldc·8 + 16 v.
      const store = (add: boolean): Code[] => {
        const out: Code[] = [l.set("cp", g("cTile"))];
        for (let r = 0; r < mr; r++) {
          for (let v = 0; v < nv; v++) {
            const val = add ? f64x2.add(v128.load(g("cp"), 16 * v), g(acc(r, v))) : g(acc(r, v));
            out.push(v128.store(g("cp"), val, 16 * v));
          }
          if (r < mr - 1) out.push(l.set("cp", i32.add(g("cp"), i32.shl(g("ldc"), i32.const(3)))));
        }
        return out;
      };
      return [
        l.set("aStride", i32.mul(g("k"), i32.const(8 * mr))),
        l.set("bStride", i32.mul(g("k"), i32.const(8 * nr))),
        l.set("jp", i32.const(0)),
        l.set("bPanel", g("b")),
        block(
          loop(
            brIf(1, i32.geS(g("jp"), g("nPanels"))),
            l.set("it", i32.const(0)),
            l.set("aTile", g("a")),
            // C tile (it, jp) starts at c + (it·MR·ldc + jp·NR)·8.
            l.set("cTile", i32.add(g("c"), i32.mul(g("jp"), i32.const(8 * nr)))),
            block(
              loop(
                brIf(1, i32.geS(g("it"), g("mTiles"))),
                zeroAcc,
                l.set("ap", g("aTile")),
                l.set("bp", g("bPanel")),
                l.set("bEnd", i32.add(g("bPanel"), g("bStride"))),
                block(loop(brIf(1, i32.geU(g("bp"), g("bEnd"))), step, br(0))),
                block(block(brIf(0, i32.eqz(g("accumulate"))), store(true), br(1)), store(false)),
                l.set("aTile", i32.add(g("aTile"), g("aStride"))),
                l.set("cTile", i32.add(g("cTile"), i32.mul(g("ldc"), i32.const(8 * mr)))),
                l.set("it", i32.add(g("it"), i32.const(1))),
                br(0),
              ),
            ),
            l.set("bPanel", i32.add(g("bPanel"), g("bStride"))),
            l.set("jp", i32.add(g("jp"), i32.const(1))),
            br(0),
          ),
        ),
      ];
    },
  };
}

/** Byte lanes of i8x16.shuffle taking the low (or high) float64 of each of two vectors. */
const LOW_PAIR = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
const HIGH_PAIR = [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31];

/**
 * `pack_a(src, dst, m, k, lda)`: copies rows of a row-major float64 matrix (row stride `lda`
 * elements) into MR-row tiles, padding the last tile with zero rows. With MR = 4, whole tiles
 * move two columns at a time: one v128 load per row, and shuffles that pair rows 0–1 and 2–3
 * (a 2×2 transpose per pair).
 */
export function packA({ mr }: GemmShape): FuncSpec {
  const locals: Record<string, "i32" | "f64" | "v128"> = {
    i: "i32",
    r: "i32",
    p: "i32",
    s: "i32",
    d: "i32",
    tile: "i32",
    x: "f64",
    ldaBytes: "i32",
  };
  for (let q = 0; q < 4; q++) {
    locals[`s${q}`] = "i32";
    locals[`r${q}`] = "v128";
  }
  return {
    name: "pack_a",
    params: { src: "i32", dst: "i32", m: "i32", k: "i32", lda: "i32" },
    locals,
    body: (l) => {
      const g = l.get;
      // Row i = tile·MR + r goes to dst + ((tile·k)·MR + r)·8, advancing MR·8 bytes per p.
      const scalarTile: Code = block(
        loop(
          brIf(1, i32.geS(g("r"), i32.const(mr))),
          l.set("d", i32.add(g("tile"), i32.shl(g("r"), i32.const(3)))),
          l.set("s", i32.add(g("src"), i32.mul(g("i"), g("ldaBytes")))),
          l.set("p", i32.const(0)),
          block(
            loop(
              brIf(1, i32.geS(g("p"), g("k"))),
              // Rows past m are zero padding.
              l.set("x", f64.const(0)),
              block(brIf(0, i32.geS(g("i"), g("m"))), l.set("x", f64.load(g("s")))),
              f64.store(g("d"), g("x")),
              l.set("s", i32.add(g("s"), i32.const(8))),
              l.set("d", i32.add(g("d"), i32.const(8 * mr))),
              l.set("p", i32.add(g("p"), i32.const(1))),
              br(0),
            ),
          ),
          l.set("i", i32.add(g("i"), i32.const(1))),
          l.set("r", i32.add(g("r"), i32.const(1))),
          br(0),
        ),
      );
      const step = (name: string, by: Code) => l.set(name, i32.add(g(name), by));
      const wholeTile: Code[] = [
        l.set("s0", i32.add(g("src"), i32.mul(g("i"), g("ldaBytes")))),
        l.set("s1", i32.add(g("s0"), g("ldaBytes"))),
        l.set("s2", i32.add(g("s1"), g("ldaBytes"))),
        l.set("s3", i32.add(g("s2"), g("ldaBytes"))),
        l.set("d", g("tile")),
        l.set("p", i32.const(2)),
        block(
          loop(
            brIf(1, i32.gtS(g("p"), g("k"))),
            [0, 1, 2, 3].map((q) => l.set(`r${q}`, v128.load(g(`s${q}`)))),
            v128.store(g("d"), i8x16.shuffle(g("r0"), g("r1"), LOW_PAIR), 0),
            v128.store(g("d"), i8x16.shuffle(g("r2"), g("r3"), LOW_PAIR), 16),
            v128.store(g("d"), i8x16.shuffle(g("r0"), g("r1"), HIGH_PAIR), 32),
            v128.store(g("d"), i8x16.shuffle(g("r2"), g("r3"), HIGH_PAIR), 48),
            [0, 1, 2, 3].map((q) => step(`s${q}`, i32.const(16))),
            step("d", i32.const(64)),
            step("p", i32.const(2)),
            br(0),
          ),
        ),
        // Odd k: the last column.
        block(
          brIf(0, i32.ne(g("p"), i32.add(g("k"), i32.const(1)))),
          [0, 1, 2, 3].map((q) => f64.store(g("d"), f64.load(g(`s${q}`)), 8 * q)),
        ),
        step("i", i32.const(4)),
      ];
      return [
        l.set("ldaBytes", i32.shl(g("lda"), i32.const(3))),
        l.set("i", i32.const(0)),
        l.set("tile", g("dst")),
        block(
          loop(
            brIf(1, i32.geS(g("i"), g("m"))),
            l.set("r", i32.const(0)),
            mr === 4
              ? if_(i32.leS(i32.add(g("i"), i32.const(4)), g("m")), wholeTile, [scalarTile])
              : scalarTile,
            l.set("tile", i32.add(g("tile"), i32.mul(g("k"), i32.const(8 * mr)))),
            br(0),
          ),
        ),
      ];
    },
  };
}

/**
 * `gemm_rows(a, b, c, m, n, k)`: C = A·B on unpacked row-major operands (A m×k, B k×n, C m×n),
 * one row of C at a time in blocks of 8, then 2, then 1 column. For few rows (single-sample
 * calls) this beats packing B, which would cost as much as the product itself.
 */
export function gemmRows(): FuncSpec {
  const blocks = [4, 1]; // f64x2 vectors per column block: 8 columns, then 2.
  return {
    name: "gemm_rows",
    params: { a: "i32", b: "i32", c: "i32", m: "i32", n: "i32", k: "i32" },
    locals: {
      i: "i32",
      j: "i32",
      aRow: "i32",
      cRow: "i32",
      ap: "i32",
      aEnd: "i32",
      bp: "i32",
      ldb: "i32",
      x: "v128",
      s: "f64",
      v0: "v128",
      v1: "v128",
      v2: "v128",
      v3: "v128",
    },
    body: (l) => {
      const g = l.get;
      const colBlock = (nv: number): Code =>
        block(
          loop(
            brIf(1, i32.gtS(i32.add(g("j"), i32.const(2 * nv)), g("n"))),
            Array.from({ length: nv }, (_, v) => l.set(`v${v}`, v128.zero())),
            l.set("ap", g("aRow")),
            l.set("bp", i32.add(g("b"), i32.shl(g("j"), i32.const(3)))),
            block(
              loop(
                brIf(1, i32.geU(g("ap"), g("aEnd"))),
                l.set("x", v128.load64Splat(g("ap"))),
                Array.from({ length: nv }, (_, v) =>
                  l.set(`v${v}`, f64x2.add(g(`v${v}`), f64x2.mul(g("x"), v128.load(g("bp"), 16 * v)))),
                ),
                l.set("ap", i32.add(g("ap"), i32.const(8))),
                l.set("bp", i32.add(g("bp"), g("ldb"))),
                br(0),
              ),
            ),
            Array.from({ length: nv }, (_, v) =>
              v128.store(i32.add(g("cRow"), i32.shl(g("j"), i32.const(3))), g(`v${v}`), 16 * v),
            ),
            l.set("j", i32.add(g("j"), i32.const(2 * nv))),
            br(0),
          ),
        );
      const lastColumn: Code = block(
        brIf(0, i32.geS(g("j"), g("n"))),
        l.set("s", f64.const(0)),
        l.set("ap", g("aRow")),
        l.set("bp", i32.add(g("b"), i32.shl(g("j"), i32.const(3)))),
        block(
          loop(
            brIf(1, i32.geU(g("ap"), g("aEnd"))),
            l.set("s", f64.add(g("s"), f64.mul(f64.load(g("ap")), f64.load(g("bp"))))),
            l.set("ap", i32.add(g("ap"), i32.const(8))),
            l.set("bp", i32.add(g("bp"), g("ldb"))),
            br(0),
          ),
        ),
        f64.store(i32.add(g("cRow"), i32.shl(g("j"), i32.const(3))), g("s")),
      );
      return [
        l.set("ldb", i32.shl(g("n"), i32.const(3))),
        l.set("i", i32.const(0)),
        l.set("aRow", g("a")),
        l.set("cRow", g("c")),
        block(
          loop(
            brIf(1, i32.geS(g("i"), g("m"))),
            l.set("aEnd", i32.add(g("aRow"), i32.shl(g("k"), i32.const(3)))),
            l.set("j", i32.const(0)),
            blocks.map(colBlock),
            lastColumn,
            l.set("aRow", g("aEnd")),
            l.set("cRow", i32.add(g("cRow"), g("ldb"))),
            l.set("i", i32.add(g("i"), i32.const(1))),
            br(0),
          ),
        ),
      ];
    },
  };
}

/**
 * `pack_b(src, dst, k, cols, rs, cs)`: packs a k×cols float64 matrix whose element (p, j) sits
 * at src + (p·rs + j·cs)·8 into NR-column panels, zero-padding the last one. Row-major B has
 * (rs, cs) = (n, 1); B stored transposed has (1, k).
 */
export function packB({ nr }: GemmShape): FuncSpec {
  return {
    name: "pack_b",
    params: { src: "i32", dst: "i32", k: "i32", cols: "i32", rs: "i32", cs: "i32" },
    locals: { j0: "i32", jj: "i32", p: "i32", s: "i32", d: "i32", rowStep: "i32", colStep: "i32", x: "f64" },
    body: (l) => {
      const g = l.get;
      return [
        l.set("rowStep", i32.shl(g("rs"), i32.const(3))),
        l.set("colStep", i32.shl(g("cs"), i32.const(3))),
        l.set("j0", i32.const(0)),
        block(
          loop(
            brIf(1, i32.geS(g("j0"), g("cols"))),
            l.set("jj", i32.const(0)),
            block(
              loop(
                brIf(1, i32.geS(g("jj"), i32.const(nr))),
                // Column j0 + jj goes to dst + (p·NR + jj)·8 for every p.
                l.set("d", i32.add(g("dst"), i32.shl(g("jj"), i32.const(3)))),
                l.set("s", i32.add(g("src"), i32.mul(i32.add(g("j0"), g("jj")), g("colStep")))),
                l.set("p", i32.const(0)),
                block(
                  loop(
                    brIf(1, i32.geS(g("p"), g("k"))),
                    l.set("x", f64.const(0)),
                    block(
                      brIf(0, i32.geS(i32.add(g("j0"), g("jj")), g("cols"))),
                      l.set("x", f64.load(g("s"))),
                    ),
                    f64.store(g("d"), g("x")),
                    l.set("s", i32.add(g("s"), g("rowStep"))),
                    l.set("d", i32.add(g("d"), i32.const(8 * nr))),
                    l.set("p", i32.add(g("p"), i32.const(1))),
                    br(0),
                  ),
                ),
                l.set("jj", i32.add(g("jj"), i32.const(1))),
                br(0),
              ),
            ),
            l.set("dst", i32.add(g("dst"), i32.mul(g("k"), i32.const(8 * nr)))),
            l.set("j0", i32.add(g("j0"), i32.const(nr))),
            br(0),
          ),
        ),
      ];
    },
  };
}
