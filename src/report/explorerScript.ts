/**
 * The page script of the per-row explorer (./explorer.ts): reads the embedded result and, for the
 * picked row, builds its tables with DOM text nodes (names and values are never parsed as HTML).
 * Every numeric cell carries the JSON value in `data-value` (the browser test compares it with
 * the result) and shows it with 6 significant digits. Plain ES5 in a string, like the report's
 * other page script.
 */
export const EXPLORER_SCRIPT = `
(function () {
  var panel = document.getElementById("explorer-panel");
  if (!panel) return;
  var res = JSON.parse(document.getElementById("gradlens-result").textContent).result;
  var feats = res.inputs.features.map(function (f) { return f.name; });
  var outs = res.outputs.components.map(function (c) { return c.name; });
  var ps = res.perSample, at = res.attribution;
  var ig = at && at.integratedGradients, ixg = at && at.inputXGradient;
  var ih = res.interactions && res.interactions.integratedHessians ? res.interactions.integratedHessians : null;
  var scen = res.whatif ? res.whatif.scenarios : [];

  function fmt(x) {
    if (x === null || x === undefined || typeof x !== "number" || !isFinite(x)) return "\\u2014";
    if (x === 0) return "0";
    var a = Math.abs(x);
    if (a < 1e-3 || a >= 1e6) return x.toExponential(5).replace(/\\.?0+e/, "e");
    return String(Number(x.toPrecision(6)));
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function num(v, cls) {
    var td = el("td", cls || "r", fmt(v));
    td.setAttribute("data-value", v === null || v === undefined ? "null" : String(v));
    return td;
  }
  // A row label; the title shows it whole when the column cuts a long name short.
  function label(text) {
    var td = el("td", null, text);
    td.title = text;
    return td;
  }
  function at2(a, i, j) { return a && a[i] ? a[i][j] : undefined; }
  function at3(a, i, j, k) { return a && a[i] && a[i][j] ? a[i][j][k] : undefined; }
  // A titled table in the report's layout (h3 with a CSV button, then the table), tagged with its part.
  function table(part, title, file, headers, rows) {
    var h = el("h3", null, title + " ");
    var b = el("button", "dl dl-csv", "CSV");
    b.type = "button";
    b.setAttribute("data-file", file);
    h.appendChild(b);
    var wrap = el("div", "table-wrap");
    var t = el("table");
    t.setAttribute("data-part", part);
    var tr = el("tr");
    headers.forEach(function (x, i) { var th = el("th", i === 0 ? null : "r", x); th.title = x; tr.appendChild(th); });
    var thead = el("thead");
    thead.appendChild(tr);
    t.appendChild(thead);
    var tb = el("tbody");
    rows.forEach(function (r) { tb.appendChild(r); });
    t.appendChild(tb);
    wrap.appendChild(t);
    panel.appendChild(h);
    panel.appendChild(wrap);
    return t;
  }
  function note(text, cls) { panel.appendChild(el("div", cls || "notes", text)); }

  function render(row) {
    panel.textContent = "";
    panel.setAttribute("data-row", String(row));
    var p = ps ? ps.rows.indexOf(row) : -1;
    var s = at ? at.rows.indexOf(row) : -1;
    var q = ih ? ih.rows.indexOf(row) : -1;
    var has = [p >= 0 ? "values and derivatives kept" : "", s >= 0 ? "explained (attributions)" : "", q >= 0 ? "Integrated Hessians" : ""];
    var title = el("h3", null, "Row " + row);
    title.id = "explorer-title";
    panel.appendChild(title);
    var what = has.filter(Boolean).join(" \u00b7 ");
    if (what) note(what);
    if (p < 0) note("Derivatives of this row were not kept (keepPerSample / --keep-per-sample keeps the first rows).", "missing");
    if (s < 0) note("This row is not an explained row (attributionSamples / --attribution-samples picks them).", "missing");
    outs.forEach(function (out, k) {
      var y = p >= 0 ? at2(ps.values, p, k) : ig && s >= 0 ? at2(ig.output, s, k) : undefined;
      var headers = ["feature"];
      if (p >= 0) headers.push("x", "\\u2202y/\\u2202x");
      if (s >= 0) headers.push("x\\u00b7\\u2202y/\\u2202x");
      if (s >= 0 && ig) headers.push("Integrated Gradients");
      if (q >= 0) headers.push("IH main \\u0393\\u2c7c\\u2c7c", "IH \\u03a3\\u1d62 \\u0393\\u1d62\\u2c7c");
      var rows = feats.map(function (f, j) {
        var tr = el("tr");
        tr.appendChild(label(f));
        if (p >= 0) { tr.appendChild(num(at2(ps.features, p, j))); tr.appendChild(num(at3(ps.gradients, p, k, j))); }
        if (s >= 0) tr.appendChild(num(at3(ixg.attributions, s, k, j)));
        if (s >= 0 && ig) tr.appendChild(num(at3(ig.attributions, s, k, j), ig.trustworthy && ig.trustworthy[s] && ig.trustworthy[s][k] === false ? "r untrusted" : "r"));
        if (q >= 0) {
          var m = at2(ih.interactions[q], k, j);
          tr.appendChild(num(m ? m[j] : undefined));
          tr.appendChild(num(at3(ih.featureSums, q, k, j)));
        }
        return tr;
      });
      if (headers.length > 1)
        table("derivatives", "Row " + row + ": output '" + out + "' = " + fmt(y), "row-" + row + "-" + k + "-derivatives.csv", headers, rows)
          .setAttribute("data-output", String(k));
      if (s >= 0 && ig) {
        var d = at2(ig.completenessDelta, s, k);
        var ok = ig.trustworthy && ig.trustworthy[s] ? ig.trustworthy[s][k] : null;
        var n = el("div", "notes", "Integrated Gradients (" + ig.method + ", baseline " + ig.baseline.kind + "): y(x) \\u2212 y(x\\u2032) = " +
          fmt(at2(ig.output, s, k)) + " \\u2212 " + fmt(at2(ig.baselineOutput, s, k)) + "; completeness \\u03b4 = ");
        var dv = el("span", "ig-delta", fmt(d));
        dv.setAttribute("data-value", d === null || d === undefined ? "null" : String(d));
        n.appendChild(dv);
        n.appendChild(document.createTextNode(ok === false ? " \\u2014 not trustworthy: " + (ig.reason || "") : " (within tolerance " + fmt(ig.tolerance) + ")"));
        panel.appendChild(n);
      }
      if (q >= 0) {
        var mat = ih.interactions[q] && ih.interactions[q][k];
        var big = 0;
        (mat || []).forEach(function (r) { r.forEach(function (v) { if (typeof v === "number" && isFinite(v)) big = Math.max(big, Math.abs(v)); }); });
        var ihRows = feats.map(function (f, i) {
          var tr = el("tr");
          tr.appendChild(label(f));
          feats.forEach(function (_, j) {
            var v = mat && mat[i] ? mat[i][j] : undefined;
            var td = num(v, "ih");
            if (big > 0 && typeof v === "number" && isFinite(v)) {
              var a = Math.min(1, Math.abs(v) / big) * 0.55;
              td.style.background = v >= 0 ? "rgba(47,95,149," + a + ")" : "rgba(179,38,30," + a + ")";
            }
            tr.appendChild(td);
          });
          return tr;
        });
        table("ih", "Row " + row + ": Integrated Hessians \\u0393\\u1d62\\u2c7c of '" + out + "'", "row-" + row + "-" + k + "-integrated-hessians.csv", ["feature"].concat(feats), ihRows)
          .setAttribute("data-output", String(k));
        var cd = at2(ih.completenessDelta, q, k);
        var n2 = el("div", "notes", "\\u03a3\\u1d62\\u2c7c \\u0393\\u1d62\\u2c7c \\u2212 (y(x) \\u2212 y(x\\u2032)): completeness \\u03b4 = ");
        var sp = el("span", "ih-delta", fmt(cd));
        sp.setAttribute("data-value", cd === null || cd === undefined ? "null" : String(cd));
        n2.appendChild(sp);
        n2.appendChild(document.createTextNode("; blue: positive, red: negative, shade by |\\u0393| relative to the largest in the matrix."));
        panel.appendChild(n2);
      }
    });
    var wrows = [];
    scen.forEach(function (sc) {
      var w = sc.perSample ? sc.perSample.rows.indexOf(row) : -1;
      if (w < 0) return;
      outs.forEach(function (out, k) {
        var tr = el("tr");
        tr.appendChild(label(sc.name + (outs.length > 1 ? " \\u00b7 " + out : "")));
        var ps2 = sc.perSample;
        var ex = at2(ps2.exact, w, k);
        [at2(ps2.baseline, w, k), ex, at2(ps2.firstOrder, w, k), at2(ps2.secondOrder, w, k)].forEach(function (v) { tr.appendChild(num(v)); });
        var e1 = at2(ps2.firstOrder, w, k), e2 = at2(ps2.secondOrder, w, k);
        tr.appendChild(num(typeof e1 === "number" && typeof ex === "number" ? e1 - ex : null));
        tr.appendChild(num(typeof e2 === "number" && typeof ex === "number" ? e2 - ex : null));
        wrows.push(tr);
      });
    });
    if (wrows.length)
      table("whatif", "Row " + row + ": what-if scenarios", "row-" + row + "-whatif.csv",
        ["scenario", "y", "exact y after", "1st order", "2nd order", "1st-order err", "2nd-order err"], wrows);
    else if (scen.length) note("No what-if values kept for this row.", "missing");
  }

  var buttons = Array.prototype.slice.call(document.querySelectorAll("button.row-pick"));
  function pick(b, focus) {
    buttons.forEach(function (x) { x.setAttribute("aria-pressed", x === b ? "true" : "false"); x.tabIndex = x === b ? 0 : -1; });
    if (focus) b.focus();
    render(Number(b.getAttribute("data-row")));
  }
  buttons.forEach(function (b, i) {
    b.addEventListener("click", function () { pick(b, false); });
    b.addEventListener("keydown", function (ev) {
      var to = ev.key === "ArrowRight" || ev.key === "ArrowDown" ? i + 1 : ev.key === "ArrowLeft" || ev.key === "ArrowUp" ? i - 1 :
        ev.key === "Home" ? 0 : ev.key === "End" ? buttons.length - 1 : -2;
      if (to === -2) return;
      ev.preventDefault();
      pick(buttons[Math.max(0, Math.min(buttons.length - 1, to))], true);
    });
  });
  if (buttons.length) pick(buttons[0], false);
})();
`;
