const g = await import("./src/index.js");
const { analyze } = await import("./src/sensitivity/index.js");
const n = Number(process.argv[2]);
const variant = process.argv[3];
const D = 3;
const W = g.array([[0.8, -0.3, 0.5, 0.1],[-0.5, 0.4, 0.2, -0.7],[0.3, 0.9, -0.6, 0.4]]);
const V = g.array([[0.6], [-0.4], [0.3], [0.2]]);
let s = 1;
const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const data = { price: g.array(new Float64Array(n).map(() => 80 + 40 * rnd())), x: g.array(new Float64Array(n * D).map(() => 2 * rnd() - 1), { shape: [n, D] }) };
const before = process.memoryUsage();
const opts: any = variant === "bare"
  ? { secondOrder: false, elasticities: false, dgsm: false, attributionSamples: 0, verifySamples: 0 }
  : variant === "pass2" ? { secondOrder: true, elasticities: false, dgsm: false, attributionSamples: 0, verifySamples: 0 }
  : { finance: { price: "price" }, attributionSamples: 0, verifySamples: 0 };
analyze(({ price: p, x: f }: any) => g.tanh(f.matmul(W)).matmul(V).add(1).mul(p.reshape([-1, 1])), data, opts);
const after = process.memoryUsage();
console.log(JSON.stringify({ n, variant, maxRss: process.resourceUsage().maxRSS / 1024, rssBefore: before.rss / 2**20, heapAfter: after.heapUsed / 2**20, ext: after.external / 2**20, ab: after.arrayBuffers / 2**20 }));
