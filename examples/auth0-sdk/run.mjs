// Runs the checks of this directory (`npm test`): every major of Auth0's
// Node.js SDK, and auth0-deploy-cli, against the Auth0 Management API fake
// (metamerge serve), each through its ordinary API and over real HTTPS.
//
// None of these clients accepts an http:// base URL; none is patched.
// Instead this script puts a TLS front before the fake: a self-signed
// certificate for 127.0.0.1 is made here with openssl, a node https server
// forwards every request to the fake unchanged, and the test processes
// trust the certificate through NODE_EXTRA_CA_CERTS (read by node at
// start, which is why the tests run in child processes). A client is then
// given the domain "127.0.0.1:PORT", the way a tenant's domain is given.
//
// The fake is taken from METAMERGE_BIN or built from this repository with
// `go build`, and started on a free loopback port. The tests see:
//
//   AUTH0_DOMAIN   host:port of the TLS front
//   AUTH0_TOKEN    the bearer token the fake requires
//   FAKE_URL       the fake's own http:// address, to read state directly
//                  and to reach its control API (/_fake/, served with -control)
//
// Arguments are passed to `node --test` (default: every *.test.mjs here).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const TOKEN = "sdk-test-token";
const here = import.meta.dirname;
const workDir = mkdtempSync(join(tmpdir(), "auth0-sdk-"));
let fake;
let front;
let tests;

// Stopped from outside (Ctrl-C, a CI timeout): stop the children too, so
// that no fake is left listening, and leave no temporary files.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    try {
      if (tests?.pid) process.kill(-tests.pid, signal); // the runner, its test files and what they started
    } catch {} // the group is gone already
    fake?.kill("SIGTERM");
    rmSync(workDir, { recursive: true, force: true });
    process.exit(1);
  });
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(`run.mjs: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  front?.closeAllConnections();
  front?.close();
  if (fake?.pid && fake.exitCode === null) {
    const exited = new Promise((ok) => fake.once("exit", ok));
    fake.kill("SIGTERM");
    const code = await exited;
    if (code !== 0) {
      console.error(`run.mjs: metamerge serve exited with ${code} after SIGTERM`);
      process.exitCode = 1;
    }
  }
  rmSync(workDir, { recursive: true, force: true });
}

async function main() {
  let bin = process.env.METAMERGE_BIN;
  if (!bin) {
    bin = join(workDir, "metamerge");
    execFileSync("go", ["build", "-o", bin, "./cmd/metamerge"], { cwd: resolve(here, "../.."), stdio: "inherit" });
  }
  // -control: the tests install faults and read state through /_fake/.
  fake = spawn(bin, ["serve", "-addr", "127.0.0.1:0", "-token", TOKEN, "-control"], { stdio: ["ignore", "pipe", "inherit"] });
  const firstLine = await new Promise((ok, fail) => {
    createInterface({ input: fake.stdout }).once("line", ok);
    fake.once("error", (err) => fail(new Error(`cannot start ${bin}: ${err.message}`)));
    fake.once("exit", (code) => fail(new Error(`metamerge serve exited with ${code}`)));
  });
  const fakeURL = new URL(firstLine.replace(/^listening on /, ""));

  // A certificate for 127.0.0.1 only, valid for a day, never written
  // anywhere but the temporary directory.
  const key = join(workDir, "key.pem");
  const cert = join(workDir, "cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", key, "-out", cert],
    { stdio: "pipe" }); // its progress dots would clutter the log; a failure shows them

  // The front forwards method, path, headers and body as they came, and
  // the fake's answer as it came. The body is read whole first and sent
  // in one write, as the SDKs send it: streamed chunk by chunk, a body
  // over the fake's limit raced its early 413 (the fake stops reading and
  // closes), and the front answered 502 instead of the fake's 413.
  front = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, async (req, res) => {
    const chunks = [];
    try {
      for await (const chunk of req) chunks.push(chunk);
    } catch {
      return res.destroy(); // the client went away mid-body: nothing to forward
    }
    const out = http.request({
      host: fakeURL.hostname, port: fakeURL.port, method: req.method, path: req.url, headers: req.headers,
    }, (answer) => {
      res.writeHead(answer.statusCode, answer.rawHeaders);
      answer.pipe(res);
    });
    out.on("error", (err) => {
      if (res.headersSent) return res.destroy(err);
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`TLS front: ${err.message}`);
    });
    out.end(Buffer.concat(chunks));
  });
  await new Promise((ok) => front.listen(0, "127.0.0.1", ok));

  let files = process.argv.slice(2);
  if (files.length === 0) {
    files = readdirSync(here).filter((f) => f.endsWith(".test.mjs")).sort();
  }
  tests = spawn(process.execPath, ["--test", "--test-concurrency=4", "--test-timeout=240000", ...files], {
    cwd: here,
    stdio: "inherit",
    detached: true, // its own process group, stopped whole on a signal
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: cert,
      AUTH0_DOMAIN: `127.0.0.1:${front.address().port}`,
      AUTH0_TOKEN: TOKEN,
      FAKE_URL: fakeURL.origin,
      TMPDIR: workDir, // what the tests leave behind goes with workDir
    },
  });
  return await new Promise((ok) => tests.once("exit", (code, signal) => ok(code ?? (signal ? 1 : 0))));
}
