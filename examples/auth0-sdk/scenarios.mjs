// The checks every major of the SDK runs, written once over an adapter
// (one per code generation, in adapters.mjs; one test file per major,
// sdk-v*.test.mjs) that makes each call through that major's ordinary API
// and hands back plain values:
//
//   createUser(body) getUser(id) updateUser(id, patch) deleteUser(id)
//   listUsers({ q, page, per_page, sort }) -> { users, total }, with
//     include_totals=true (the only way the newer majors ask)
//   allUsers({ q, per_page }) -> users of every page, paged by the SDK
//   usersByEmail(email) -> users
//   createClient(body) getClient(id) updateClient(id, patch) deleteClient(id)
//   listClients({ q }) -> clients
//   signup(body) -> the answer of /dbconnections/signup (absent where the
//     major has no authentication client)
//   updateUserMetadata(id, m) updateAppMetadata(id, m): the
//     calls of 2.x and 3.x that send one field (absent elsewhere)
//   withToken(token) -> the same adapter with another bearer token
//   withDefaultRetries() -> the same adapter with the SDK's own retry
//     settings (every other call has retries off)
//   error(err) -> { status, code, message }, from the SDK's error as thrown
//
// Every user and client a major makes carries its own tag, so that the
// majors, which run in parallel against one fake, never see each other's.
import { test } from "node:test";
import assert from "node:assert/strict";

export const domain = need("AUTH0_DOMAIN");
export const token = need("AUTH0_TOKEN");
export const fakeURL = need("FAKE_URL");

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run these tests with "npm test" (node run.mjs)`);
  return v;
}

// raw reads the fake directly over http, not through any SDK, so that what
// an SDK returned is checked against what the fake stored.
export async function raw(path) {
  const res = await fetch(fakeURL + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

// control sends a request to the fake's control API (metamerge serve
// -control), over plain http, and answers its status and JSON body.
export async function control(method, path, body) {
  const res = await fetch(fakeURL + "/_fake/" + path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

// faultsOn answers the installed faults whose path is path: those a test
// installed and its requests have not used up yet.
async function faultsOn(path) {
  const { status, body } = await control("GET", "faults");
  assert.equal(status, 200);
  return body.filter((f) => f.path === path);
}

// scenarios registers every check for one major, named major in the
// test names, made through the adapter sdk.
export function scenarios(major, sdk) {
  const tag = major.replace(/\W/g, "");
  const email = (name) => `${name}.${tag}@example.com`;

  // rejects asserts that promise fails with an SDK error carrying status,
  // Auth0's error code and a message that matches message.
  async function rejects(promise, status, code, message) {
    await assert.rejects(promise, (err) => {
      const got = sdk.error(err);
      assert.equal(got.status, status, `status of ${err}`);
      assert.equal(got.code, code, `code of ${err}`);
      assert.match(got.message ?? "", message);
      return true;
    });
  }

  test(`${major}: user metadata created, merged, deleted with null, cleared and removed with {}`, async () => {
    const created = await sdk.createUser({
      connection: "Username-Password-Authentication",
      email: email("Ada"), // stored in lower case
      password: "correct horse battery staple",
      user_metadata: { theme: "dark", addresses: { home: "12 Main St" } },
      app_metadata: { plan: "pro", trial: true },
    });
    const id = created.user_id;
    assert.match(id, /^auth0\|[0-9a-f]{24}$/);
    assert.equal(created.email, email("ada"));
    assert.equal(created.email_verified, false);
    assert.equal(created.password, undefined);
    assert.deepEqual(created.user_metadata, { theme: "dark", addresses: { home: "12 Main St" } });
    assert.deepEqual(created.app_metadata, { plan: "pro", trial: true });

    const steps = [
      // Adding a nested key: the whole addresses object is sent (R3).
      [{ user_metadata: { addresses: { home: "12 Main St", work: "1 Loop" } } },
        { theme: "dark", addresses: { home: "12 Main St", work: "1 Loop" } }, { plan: "pro", trial: true }],
      // A root key of the patch replaces the stored one wholesale (R3).
      [{ user_metadata: { addresses: { home: "3 Elm St" } } },
        { theme: "dark", addresses: { home: "3 Elm St" } }, { plan: "pro", trial: true }],
      // null deletes one key, in each field (R4).
      [{ user_metadata: { theme: null }, app_metadata: { trial: null } },
        { addresses: { home: "3 Elm St" } }, { plan: "pro" }],
      // {} clears user_metadata (R6).
      [{ user_metadata: {} }, {}, { plan: "pro" }],
      // {} removes app_metadata (R6).
      [{ app_metadata: {} }, {}, undefined],
    ];
    for (const [patch, userMetadata, appMetadata] of steps) {
      const patched = await sdk.updateUser(id, patch);
      const read = await sdk.getUser(id);
      assert.deepEqual(read, patched, "GET returns what PATCH returned");
      assert.deepEqual(read.user_metadata, userMetadata, JSON.stringify(patch));
      assert.deepEqual(read.app_metadata, appMetadata, JSON.stringify(patch));
      assert.equal(read.created_at, created.created_at);
      const stored = await raw(`/api/v2/users/${encodeURIComponent(id)}`);
      assert.deepEqual(stored.body, read, "the fake stored what the SDK returned");
    }
    await sdk.deleteUser(id);
    await rejects(sdk.getUser(id), 404, "inexistent_user", /^The user does not exist\.$/);
  });

  if (sdk.updateUserMetadata) {
    test(`${major}: updateUserMetadata and updateAppMetadata send one field, merged the same way`, async () => {
      const { user_id: id } = await sdk.createUser({
        connection: "Username-Password-Authentication", email: email("meta"), password: "pw pw pw pw",
        user_metadata: { theme: "dark", lang: "en" }, app_metadata: { plan: "pro" },
      });
      const steps = [
        [sdk.updateUserMetadata, { lang: "fr", tz: "UTC" }, { theme: "dark", lang: "fr", tz: "UTC" }, { plan: "pro" }],
        [sdk.updateUserMetadata, { theme: null }, { lang: "fr", tz: "UTC" }, { plan: "pro" }],
        [sdk.updateAppMetadata, { plan: "team", seats: 5 }, { lang: "fr", tz: "UTC" }, { plan: "team", seats: 5 }],
        [sdk.updateUserMetadata, {}, {}, { plan: "team", seats: 5 }],
        [sdk.updateAppMetadata, {}, {}, undefined],
      ];
      for (const [update, metadata, userMetadata, appMetadata] of steps) {
        await update(id, metadata);
        const read = await sdk.getUser(id);
        assert.deepEqual(read.user_metadata, userMetadata, JSON.stringify(metadata));
        assert.deepEqual(read.app_metadata, appMetadata, JSON.stringify(metadata));
      }
      await rejects(sdk.updateUserMetadata(id, { "a.b": 1 }), 400, "invalid_body", /^Fields with "\." are not allowed/);
      await sdk.deleteUser(id);
    });
  }

  test(`${major}: refused user PATCHes arrive as SDK errors and change nothing`, async () => {
    const { user_id: id } = await sdk.createUser({
      connection: "Username-Password-Authentication", email: email("bob"), password: "pw pw pw pw",
      user_metadata: { theme: "dark" },
    });
    const before = await sdk.getUser(id);
    await rejects(sdk.updateUser(id, { user_metadata: { "prefs.lang": "fr" } }), 400, "invalid_body",
      /^Fields with "\." are not allowed, please remove all dotted fields\./);
    await rejects(sdk.updateUser(id, { user_metadata: "dark" }), 400, "invalid_body",
      /^Payload validation error: 'Expected type object but found type string' on property user_metadata/);
    await rejects(sdk.updateUser(id, { app_metadata: { plan: { $set: 1 } } }), 400, "invalid_body",
      /^Payload validation error: 'Property name is not allowed' on property app_metadata\.plan\.\$set$/); // R7, at depth
    await rejects(sdk.updateUser(id, { user_metadata: { theme: "light" }, nickname: 7 }), 400, "invalid_body",
      /^Payload validation error: 'Expected type string but found type (integer|number)' on property nickname/);
    assert.deepEqual(await sdk.getUser(id), before, "a refused PATCH changes nothing");
    await rejects(sdk.createUser({ connection: "Username-Password-Authentication", email: email("BOB"), password: "another horse" }), 409,
      "auth0_idp_error", /^The user already exists\.$/);
    await rejects(sdk.updateUser("auth0|000000000000000000000000", { user_metadata: { a: 1 } }), 404,
      "inexistent_user", /^The user does not exist\.$/);
    await sdk.deleteUser(id);
    await sdk.deleteUser(id); // 204 for what is not there
  });

  test(`${major}: user lists by q, page by page, in the include_totals envelope`, async () => {
    const ids = [];
    for (const n of ["c1", "c2", "c3"]) {
      const u = await sdk.createUser({
        connection: "Username-Password-Authentication", email: email(n), password: "pw pw pw pw",
        app_metadata: { batch: tag, n },
      });
      ids.push(u.user_id);
    }
    const q = `app_metadata.batch:${tag}`;
    const one = await sdk.listUsers({ q: `email:"${email("c2")}"` });
    assert.deepEqual(one.users.map((u) => u.user_id), [ids[1]]);
    assert.equal(one.total, 1);
    const picked = await sdk.listUsers({ q: `email:"${email("c2")}"`, fields: "user_id,email" });
    assert.deepEqual(picked.users, [{ email: email("c2"), user_id: ids[1] }]);

    const first = await sdk.listUsers({ q, page: 0, per_page: 2, sort: "email:1" });
    const second = await sdk.listUsers({ q, page: 1, per_page: 2, sort: "email:1" });
    assert.deepEqual([...first.users, ...second.users].map((u) => u.user_id), ids);
    assert.equal(first.users.length, 2);
    assert.equal(first.total, 3);
    assert.equal(second.total, 3);
    const all = await sdk.allUsers({ q, per_page: 2, sort: "email:1" });
    assert.deepEqual(all.map((u) => u.user_id), ids, "the SDK's own paging finds every user once");
    assert.deepEqual(all.map((u) => u.app_metadata), ["c1", "c2", "c3"].map((n) => ({ batch: tag, n })));
    const none = await sdk.listUsers({ q: `app_metadata.batch:nothing-${tag}` });
    assert.deepEqual(none.users, []);
    assert.equal(none.total, 0);
    for (const id of ids) await sdk.deleteUser(id);
  });

  test(`${major}: the deepest, the widest and a too large PATCH through the SDK`, async () => {
    const { user_id: id } = await sdk.createUser({
      connection: "Username-Password-Authentication", email: email("deep"), password: "pw pw pw pw",
    });
    // Levels count from the PATCH's root (H3): the root is 1, user_metadata
    // 2, so n arrays inside it make n + 2 levels; 100 is the default limit.
    const nest = (n) => { let v = []; for (let i = 1; i < n; i++) v = [v]; return v; };
    const deepest = await sdk.updateUser(id, { user_metadata: { a: nest(98) } });
    assert.deepEqual(deepest.user_metadata, { a: nest(98) }, "100 levels are stored");
    await rejects(sdk.updateUser(id, { user_metadata: { a: nest(99) } }), 400, "invalid_body",
      // The property is a name of the request, quoted in at most 64 bytes (README: mgmt).
      /^Payload validation error: 'Nesting is too deep \(101 levels\), maximum 100' on property user_metadata\.a(\.0){23}…$/);

    // About 900 KB: 50,000 keys, under the 1 MB body limit, stored and
    // answered whole, then cleared with {}.
    const wide = Object.fromEntries(Array.from({ length: 50000 }, (_, i) => [`key${i}`, i]));
    const patched = await sdk.updateUser(id, { user_metadata: wide });
    assert.equal(Object.keys(patched.user_metadata).length, 50001);
    assert.deepEqual(patched.user_metadata, { a: nest(98), ...wide });
    assert.deepEqual(await sdk.getUser(id), patched);
    assert.deepEqual((await sdk.updateUser(id, { user_metadata: {} })).user_metadata, {});

    // Over 1 MB: refused before it is read, as an SDK error with status 413.
    const big = { user_metadata: { big: "x".repeat(1 << 20) } };
    await rejects(sdk.updateUser(id, big), 413, undefined, /^Payload content length greater than maximum allowed: 1048576$/);
    assert.deepEqual((await sdk.getUser(id)).user_metadata, {});
    await sdk.deleteUser(id);
  });

  test(`${major}: concurrent PATCHes of different keys all survive (M6)`, async () => {
    const { user_id: id } = await sdk.createUser({
      connection: "Username-Password-Authentication", email: email("many"), password: "pw pw pw pw",
    });
    const { client_id: cid } = await sdk.createClient({ name: `many ${tag}` });
    const n = 10;
    await Promise.all(Array.from({ length: n }, (_, i) => Promise.all([
      sdk.updateUser(id, { user_metadata: { [`u${i}`]: i }, app_metadata: { [`a${i}`]: [i] } }),
      sdk.updateClient(cid, { client_metadata: { [`c${i}`]: String(i) } }),
    ])));
    const user = await sdk.getUser(id);
    assert.deepEqual(user.user_metadata, Object.fromEntries(Array.from({ length: n }, (_, i) => [`u${i}`, i])));
    assert.deepEqual(user.app_metadata, Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, [i]])));
    const client = await sdk.getClient(cid);
    assert.deepEqual(client.client_metadata, Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, String(i)])));
    await sdk.deleteUser(id);
    await sdk.deleteClient(cid);
  });

  test(`${major}: users by email (M7)`, async () => {
    const u = await sdk.createUser({ connection: "Username-Password-Authentication", email: email("dee"), password: "pw pw pw pw" });
    try {
      const found = await sdk.usersByEmail(email("dee"));
      assert.deepEqual(found, [await sdk.getUser(u.user_id)]);
      assert.deepEqual(await sdk.usersByEmail(email("nobody")), []);
    } finally {
      await sdk.deleteUser(u.user_id);
    }
  });

  test(`${major}: client metadata created, merged, deleted, {} (C5), 10-key and 255-character limits`, async () => {
    const created = await sdk.createClient({ name: `app ${tag}`, client_metadata: { foo: "zoo", tag } });
    const id = created.client_id;
    assert.match(id, /^[A-Za-z0-9]{32}$/);
    assert.match(created.client_secret, /^[A-Za-z0-9_-]{64}$/);
    assert.deepEqual(created.client_metadata, { foo: "zoo", tag });

    const steps = [
      [{ client_metadata: { bar: "baz" } }, { foo: "zoo", tag, bar: "baz" }],
      [{ client_metadata: { foo: null } }, { tag, bar: "baz" }],
      [{ client_metadata: {} }, {}], // C5: {} removes every key
      [{ client_metadata: { tag } }, { tag }],
    ];
    for (const [patch, want] of steps) {
      const patched = await sdk.updateClient(id, patch);
      const read = await sdk.getClient(id);
      assert.deepEqual(read, patched);
      assert.deepEqual(read.client_metadata, want, JSON.stringify(patch));
      const stored = await raw(`/api/v2/clients/${id}`);
      assert.deepEqual(stored.body, read, "the fake stored what the SDK returned");
    }

    // C5: {} creates client_metadata where a client had none.
    const bare = await sdk.createClient({ name: `bare ${tag}` });
    assert.equal(bare.client_metadata, undefined);
    assert.deepEqual((await sdk.updateClient(bare.client_id, { client_metadata: {} })).client_metadata, {});
    await sdk.deleteClient(bare.client_id);

    // C4: ten keys are allowed, an eleventh is not.
    const ten = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, "v"]));
    assert.deepEqual((await sdk.updateClient(id, { client_metadata: ten })).client_metadata, { tag, ...ten });
    await rejects(sdk.updateClient(id, { client_metadata: { k10: "v" } }), 400, "invalid_body",
      /^Payload validation error: 'Too many properties defined \(11\), maximum 10' on property client_metadata/);
    // C1: values are strings.
    await rejects(sdk.updateClient(id, { client_metadata: { k0: 1 } }), 400, "invalid_body",
      /^Payload validation error: 'Expected type string but found type (integer|number)' on property client_metadata\.k0/);
    // C2: values of 255 characters are allowed, 256 are not.
    const v255 = "x".repeat(255);
    assert.equal((await sdk.updateClient(id, { client_metadata: { k0: v255 } })).client_metadata.k0, v255);
    await rejects(sdk.updateClient(id, { client_metadata: { k0: v255 + "x" } }), 400, "invalid_body",
      /^Payload validation error: 'String is too long \(256 chars\), maximum 255' on property client_metadata\.k0/);
    assert.equal((await sdk.getClient(id)).client_metadata.k0, v255, "a refused PATCH changes nothing");

    const listed = await sdk.listClients({ q: `client_metadata.tag:${tag}` });
    assert.deepEqual(listed.map((c) => c.client_id), [id]);
    await sdk.deleteClient(id);
    await rejects(sdk.getClient(id), 404, "inexistent_client", /^The client does not exist$/);
    await rejects(sdk.updateClient(id, { client_metadata: {} }), 404, "inexistent_client", /^The client does not exist$/);
  });

  if (sdk.signup) {
    test(`${major}: signup with user_metadata (S1-S3), refused as the SDK's error`, async () => {
      const body = {
        connection: "Username-Password-Authentication", email: email("sig"), password: "pw pw pw pw",
        user_metadata: { plan: "pro", color: "" },
      };
      const created = await sdk.signup(body);
      assert.match(created._id, /^[0-9a-f]{24}$/);
      assert.equal(created.email, email("sig"));
      assert.equal(created.email_verified, false);
      assert.deepEqual(created.user_metadata, { plan: "pro", color: "" });
      const user = await sdk.getUser(`auth0|${created._id}`);
      assert.deepEqual(user.user_metadata, { plan: "pro", color: "" });

      await rejects(sdk.signup({ ...body, email: email("sig2"), user_metadata: { age: 42 } }), 400, "invalid_signup",
        /^invalid user_metadata\.age type \(only strings are allowed\)$/);
      await rejects(sdk.signup({ ...body, email: email("sig3"), user_metadata: { "a.b": "x" } }), 400, "invalid_signup",
        /^Fields with "\." are not allowed/);
      await rejects(sdk.signup(body), 400, "invalid_signup", /^Invalid sign up$/);
      const again = await sdk.listUsers({ q: `email:"${email("sig2")}"` });
      assert.deepEqual(again.users, [], "a refused signup creates nobody");
      await sdk.deleteUser(user.user_id);
    });
  }

  // One fault at a time, on the path of a user only this test reads, so
  // that the majors running beside it never meet it.
  test(`${major}: a 429 with Retry-After is retried by the SDK's defaults; without retries, 429 and 503 are its errors`, async () => {
    const created = await sdk.createUser({ connection: "Username-Password-Authentication", email: email("retry"), password: "pw pw pw pw" });
    const path = `/api/v2/users/${created.user_id}`;
    const fault = async (status) => {
      const installed = await control("POST", "faults", { method: "GET", path, times: 1, status, retry_after: "1s" });
      assert.equal(installed.status, 201, JSON.stringify(installed.body));
      assert.equal((await faultsOn(path)).length, 1);
    };
    try {
      await fault(429);
      const started = Date.now();
      assert.deepEqual(await sdk.withDefaultRetries().getUser(created.user_id), await sdk.getUser(created.user_id),
        "served after the retry");
      assert.deepEqual(await faultsOn(path), [], "the 429 was answered: two requests, the first refused");
      assert.ok(Date.now() - started >= 400, "the SDK waited before it retried");

      await fault(429);
      await rejects(sdk.getUser(created.user_id), 429, "too_many_requests", /^Global limit has been reached$/);
      assert.deepEqual(await faultsOn(path), [], "one request, refused");
      await fault(503);
      await rejects(sdk.getUser(created.user_id), 503, undefined, /^Injected fault: Service Unavailable$/);
      assert.deepEqual(await faultsOn(path), [], "one request, refused");
      assert.deepEqual((await sdk.getUser(created.user_id)).user_id, created.user_id, "served once the faults are used up");
    } finally {
      await sdk.deleteUser(created.user_id);
    }
  });

  test(`${major}: a wrong token is refused with 401`, async () => {
    await assert.rejects(sdk.withToken("wrong").listUsers({}), (err) => {
      assert.equal(sdk.error(err).status, 401);
      assert.equal(sdk.error(err).message, "Invalid token");
      return true;
    });
  });
}
