// The load generator of bench_workshop_room.py: phones that each open the session page
// (its cookie and the form's CSRF token) and send one answer as the page's script does, or
// (--no-script) as a plain form with its redirect and page. Node's own http with keep-alive
// connections: a load generator light enough to leave the two cores to the server, as wrk
// would (wrk cannot carry one phone's cookie and token from its page to its answer).
//
//   node bench/room_phones.mjs BASE CODE QUESTION PHONES CONCURRENCY SCRIPT(1|0)
// prints one JSON line: {"answered", "statuses", "started", "last"} (times in ms since 1970)
import http from "node:http";

const [base, code, question, phones, concurrency, script] = process.argv.slice(2);
const url = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });

function request(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, headers, agent },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() })
        );
      }
    );
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

function cookies(jar, response) {
  for (const line of response.headers["set-cookie"] || []) {
    const [pair] = line.split(";");
    const at = pair.indexOf("=");
    jar[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return Object.entries(jar).map(([k, v]) => `${k}=${v}`).join("; ");
}

async function phone(i) {
  const jar = {};
  const page = await request("GET", `/w/${code}/`, {});
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.body)[1];
  const body = new URLSearchParams({ csrfmiddlewaretoken: token, question, answer: String(i % 3) }).toString();
  const headers = {
    Cookie: cookies(jar, page),
    "Content-Type": "application/x-www-form-urlencoded",
    "Content-Length": Buffer.byteLength(body),
    Referer: `${base}/w/${code}/`,
  };
  if (script === "1") headers["X-Requested-With"] = "fetch";
  const sent = await request("POST", `/w/${code}/svara/`, headers, body);
  if (sent.status === 302) {
    await request("GET", sent.headers.location, { Cookie: cookies(jar, sent) });
    return [200, Date.now()];
  }
  const ok = sent.status === 200 && JSON.parse(sent.body).ok === true;
  return [ok ? 200 : sent.status, Date.now()];
}

const started = Date.now();
const results = [];
let next = 0;
async function worker() {
  while (next < Number(phones)) {
    const i = next++;
    results.push(await phone(i));
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
agent.destroy();
const statuses = {};
for (const [s] of results) statuses[s] = (statuses[s] || 0) + 1;
console.log(
  JSON.stringify({
    answered: statuses[200] || 0,
    statuses,
    started,
    last: Math.max(...results.map(([, t]) => t)),
  })
);
