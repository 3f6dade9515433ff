// auth0-deploy-cli against the fake, through its command a0deploy, the way
// a tenant's configuration is kept in a repository: import restricted to
// clients, the same import again with nothing changed, then export. What
// the fake stored is read over plain http through its control API, not
// through the tool.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { domain, token, control } from "./scenarios.mjs";
import { version } from "./adapters.mjs";

const a0deploy = join(import.meta.dirname, "node_modules", "auth0-deploy-cli", "lib", "index.js");
const name = "deploy-cli app";
let dir;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "a0deploy-"));
  writeFileSync(join(dir, "config.json"), JSON.stringify({
    AUTH0_DOMAIN: domain,
    AUTH0_ACCESS_TOKEN: token,
    AUTH0_INCLUDED_ONLY: ["clients"],
    AUTH0_ALLOW_DELETE: false,
  }));
  writeFileSync(join(dir, "tenant.yaml"), [
    "clients:",
    `  - name: ${name}`,
    "    app_type: regular_web",
    "    callbacks:",
    "      - https://app.example.com/callback",
    "    client_metadata:",
    "      team: blue",
    "      tier: gold",
    "",
  ].join("\n"));
});

after(() => rmSync(dir, { recursive: true, force: true }));

// run runs a0deploy with args and answers its output; a non-zero exit
// fails the test with that output.
async function run(...args) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [a0deploy, ...args,
      "--config_file", join(dir, "config.json")], { maxBuffer: 1 << 24 });
    return stdout + stderr;
  } catch (err) {
    assert.fail(`a0deploy ${args[0]} exited with ${err.code}:\n${err.stdout}${err.stderr}`);
  }
}

// stored answers the clients of that name as the fake holds them, read
// through its control API: every client, with no page to miss one on.
async function stored() {
  const { status, body } = await control("GET", "clients");
  assert.equal(status, 200);
  return body.filter((c) => c.name === name);
}

test(`auth0-deploy-cli ${version("auth0-deploy-cli")}: import, import again unchanged, export`, async () => {
  const first = await run("import", "--input_file", join(dir, "tenant.yaml"));
  assert.match(first, /Created \[clients\]: \{"name":"deploy-cli app","client_id":"[A-Za-z0-9]{32}"\}/);
  assert.match(first, /Import Successful/);
  const [created, ...extra] = await stored();
  assert.deepEqual(extra, [], "one client of that name");
  assert.equal(created.app_type, "regular_web");
  assert.deepEqual(created.callbacks, ["https://app.example.com/callback"]);
  assert.deepEqual(created.client_metadata, { team: "blue", tier: "gold" });

  // Nothing changed: the tool PATCHes the client anyway, and the fake
  // must keep it as it was (an empty or partial client_metadata would
  // clear or drop keys under C5).
  const second = await run("import", "--input_file", join(dir, "tenant.yaml"));
  assert.match(second, /Updated \[clients\]: \{"name":"deploy-cli app","client_id":"[A-Za-z0-9]{32}"\}/);
  assert.match(second, /Import Successful/);
  assert.deepEqual(await stored(), [created], "a second import of the same file changes nothing");

  const out = join(dir, "export");
  const third = await run("export", "--format", "directory", "--output_folder", out);
  assert.match(third, /Export Successful/);
  const files = readdirSync(join(out, "clients"));
  const exported = files.map((f) => JSON.parse(readFileSync(join(out, "clients", f), "utf8"))).filter((c) => c.name === name);
  assert.equal(exported.length, 1, `one exported file for ${name} in ${files}`);
  const [client] = exported;
  assert.equal(client.client_id, undefined, "export leaves out the client_id");
  assert.equal(client.client_secret, undefined, "export leaves out the secret");
  assert.equal(client.app_type, "regular_web");
  assert.deepEqual(client.callbacks, ["https://app.example.com/callback"]);
  assert.deepEqual(client.client_metadata, { team: "blue", tier: "gold" });
});
