// Checks the Auth0 Management API fake (metamerge serve) with Auth0's
// official Node.js SDK, which nobody here wrote: every request below is
// made by the SDK's users and clients sub-clients, pointed at the fake
// with baseUrl. Run with `npm test` (node --test).
//
// The fake is built from this repository with `go build`, or taken from
// METAMERGE_BIN, and started on a free loopback port.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { UsersClient } from "auth0/users";
import { ClientsClient } from "auth0/clients";

const TOKEN = "sdk-test-token";
let server;
let workDir;
let users;
let clients;

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), "auth0-sdk-"));
  let bin = process.env.METAMERGE_BIN;
  if (!bin) {
    bin = join(workDir, "metamerge");
    execFileSync("go", ["build", "-o", bin, "./cmd/metamerge"], {
      cwd: resolve(import.meta.dirname, "../.."),
      stdio: "inherit",
    });
  }
  server = spawn(bin, ["serve", "-addr", "127.0.0.1:0", "-token", TOKEN], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const firstLine = await new Promise((ok, fail) => {
    const lines = createInterface({ input: server.stdout });
    lines.once("line", ok);
    server.once("exit", (code) => fail(new Error(`metamerge serve exited with ${code}`)));
  });
  const base = firstLine.replace(/^listening on /, "");
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
  const options = { baseUrl: `${base}/api/v2`, token: TOKEN, maxRetries: 0, timeoutInSeconds: 10 };
  users = new UsersClient(options);
  clients = new ClientsClient(options);
});

after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((ok) => server.once("exit", ok));
    server.kill("SIGTERM");
    assert.equal(await exited, 0, "metamerge serve exits 0 after SIGTERM");
  }
  rmSync(workDir, { recursive: true, force: true });
});

// rejects asserts that promise fails with an SDK error of status, whose
// Auth0 body has the errorCode and a message matching message.
async function rejects(promise, status, errorCode, message) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.statusCode, status, `status of ${err}`);
    assert.equal(err.body?.errorCode, errorCode);
    assert.match(err.body?.message ?? "", message);
    return true;
  });
}

test("user metadata: create, nested key, null, {} clears user_metadata, {} removes app_metadata", async () => {
  const created = await users.create({
    connection: "Username-Password-Authentication",
    email: "Ada@Example.com",
    password: "correct horse battery staple",
    user_metadata: { theme: "dark", addresses: { home: "12 Main St" } },
    app_metadata: { plan: "pro", trial: true },
  });
  const id = created.user_id;
  assert.match(id, /^auth0\|[0-9a-f]{24}$/);
  assert.equal(created.email, "ada@example.com");
  assert.equal(created.email_verified, false);
  assert.match(created.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(created.identities, [
    { connection: "Username-Password-Authentication", user_id: id.slice(6), provider: "auth0", isSocial: false },
  ]);
  assert.equal(created.password, undefined);

  const steps = [
    // Adding a nested key: the whole addresses object is sent (R3).
    [{ user_metadata: { addresses: { home: "12 Main St", work: "1 Loop" } } },
      { theme: "dark", addresses: { home: "12 Main St", work: "1 Loop" } }, { plan: "pro", trial: true }],
    // null deletes one key, in each field.
    [{ user_metadata: { theme: null }, app_metadata: { trial: null } },
      { addresses: { home: "12 Main St", work: "1 Loop" } }, { plan: "pro" }],
    // {} clears user_metadata (R6).
    [{ user_metadata: {} }, {}, { plan: "pro" }],
    // {} removes app_metadata (R6).
    [{ app_metadata: {} }, {}, undefined],
  ];
  for (const [patch, userMetadata, appMetadata] of steps) {
    const patched = await users.update(id, patch);
    const read = await users.get(id);
    assert.deepEqual(read, patched, "GET returns what PATCH returned");
    assert.deepEqual(read.user_metadata, userMetadata, JSON.stringify(patch));
    assert.deepEqual(read.app_metadata, appMetadata, JSON.stringify(patch));
    assert.equal(read.created_at, created.created_at);
  }

  const found = await users.list({ q: "email:ada@example.com", fields: "user_id,email" });
  assert.deepEqual(found.data, [{ email: "ada@example.com", user_id: id }]);

  await rejects(users.update(id, { user_metadata: { "prefs.lang": "fr" } }), 400, "invalid_body", /^Fields with "\." are not allowed/);
  await rejects(users.update(id, { user_metadata: "dark" }), 400, "invalid_body",
    /^Payload validation error: 'Expected type object but found type string' on property user_metadata/);
  await rejects(users.create({ connection: "Username-Password-Authentication", email: "ada@example.com", password: "another horse" }), 409, "auth0_idp_error", /^The user already exists\.$/);
  await users.delete(id);
  await rejects(users.get(id), 404, "inexistent_user", /^The user does not exist\.$/);
});

test("client metadata: create, add, null, {} (C5), and the 10-key and 255-character limits", async () => {
  const created = await clients.create({ name: "SDK test app", client_metadata: { foo: "zoo" } });
  const id = created.client_id;
  assert.match(id, /^[A-Za-z0-9]{32}$/);
  assert.match(created.client_secret, /^[A-Za-z0-9_-]{64}$/);

  const steps = [
    [{ client_metadata: { bar: "baz" } }, { foo: "zoo", bar: "baz" }],
    [{ client_metadata: { foo: null } }, { bar: "baz" }],
    [{ client_metadata: {} }, {}], // C5: {} removes every key
  ];
  for (const [patch, want] of steps) {
    const patched = await clients.update(id, patch);
    const read = await clients.get(id);
    assert.deepEqual(read, patched);
    assert.deepEqual(read.client_metadata, want, JSON.stringify(patch));
  }

  // C5: {} creates client_metadata where a client had none.
  const bare = await clients.create({ name: "bare" });
  assert.equal(bare.client_metadata, undefined);
  assert.deepEqual((await clients.update(bare.client_id, { client_metadata: {} })).client_metadata, {});

  // C4: ten keys are allowed, an eleventh is not.
  const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, "v"]));
  assert.deepEqual((await clients.update(id, { client_metadata: ten })).client_metadata, ten);
  await rejects(clients.update(id, { client_metadata: { k10: "v" } }), 400, "invalid_body",
    /^Payload validation error: 'Too many properties defined \(11\), maximum 10' on property client_metadata/);

  // C2: values of 255 characters are allowed, 256 are not.
  const v255 = "x".repeat(255);
  assert.equal((await clients.update(id, { client_metadata: { k0: v255 } })).client_metadata.k0, v255);
  await rejects(clients.update(id, { client_metadata: { k0: v255 + "x" } }), 400, "invalid_body",
    /^Payload validation error: 'String is too long \(256 chars\), maximum 255' on property client_metadata\.k0/);

  // A refused PATCH changes nothing.
  assert.equal((await clients.get(id)).client_metadata.k0, v255);
  const page = await clients.list({ q: "client_metadata.k1:v" });
  assert.deepEqual(page.data.map((c) => c.client_id), [id]);
  await clients.delete(id);
  await rejects(clients.get(id), 404, "inexistent_client", /^The client does not exist$/);
});

test("a wrong token is refused with 401", async () => {
  const base = users._options.baseUrl;
  const intruder = new UsersClient({ baseUrl: base, token: "wrong", maxRetries: 0 });
  await assert.rejects(intruder.list(), (err) => {
    assert.equal(err.statusCode, 401);
    assert.equal(err.body?.message, "Invalid token");
    return true;
  });
});
