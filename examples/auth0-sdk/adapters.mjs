// One adapter per code generation of Auth0's Node.js SDK, each making the
// calls of scenarios.mjs through that generation's ordinary API (no
// patched client, no hand-made request): see scenarios.mjs for the shape.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { domain, token } from "./scenarios.mjs";

const require = createRequire(import.meta.url);

// version is the installed version of the package pkg (an npm alias such
// as "auth0-v2"), from the lockfile's install.
export function version(pkg) {
  return JSON.parse(readFileSync(join(import.meta.dirname, "node_modules", pkg, "package.json"), "utf8")).version;
}

// restFacade: auth0 2.x and 3.x, one ManagementClient with a method per
// call; answers are plain objects; errors are SanitizedError (management)
// or APIError (authentication) with Auth0's body on originalError.
export function restFacade(pkg) {
  const { ManagementClient, AuthenticationClient } = require(pkg);
  const make = (token, defaults = false) => {
    // Retries off (the checks count requests), unless defaults asks for
    // the SDK's own: 429 retried up to 3 times with node-retry's backoff.
    const m = new ManagementClient({ domain, token, ...(defaults ? {} : { retry: { enabled: false } }) });
    const auth = new AuthenticationClient({ domain, clientId: "sdk-check" });
    return {
      createUser: (body) => m.createUser(body),
      getUser: (id) => m.getUser({ id }),
      updateUser: (id, patch) => m.updateUser({ id }, patch),
      updateUserMetadata: (id, metadata) => m.updateUserMetadata({ id }, metadata),
      updateAppMetadata: (id, metadata) => m.updateAppMetadata({ id }, metadata),
      deleteUser: (id) => m.deleteUser({ id }),
      listUsers: async (params) => {
        const env = await m.getUsers({ ...params, include_totals: true, search_engine: "v3" });
        return { users: env.users, total: env.total };
      },
      allUsers: async ({ per_page, ...params }) => {
        const all = [];
        for (let page = 0; ; page++) {
          const users = await m.getUsers({ ...params, page, per_page, search_engine: "v3" });
          all.push(...users);
          if (users.length < per_page) return all;
        }
      },
      usersByEmail: (email) => m.getUsersByEmail(email),
      createClient: (body) => m.createClient(body),
      getClient: (id) => m.getClient({ client_id: id }),
      updateClient: (id, patch) => m.updateClient({ client_id: id }, patch),
      deleteClient: (id) => m.deleteClient({ client_id: id }),
      listClients: (params) => m.getClients(params),
      signup: (body) => auth.database.signUp(body),
      withToken: make,
      withDefaultRetries: () => make(token, true),
      error: (err) => {
        const body = err.originalError?.response?.body ?? {};
        return {
          status: err.statusCode,
          code: body.errorCode ?? body.code,
          message: body.errorCode ? err.message : (body.description ?? err.message),
        };
      },
    };
  };
  return make(token);
}

// openapi: auth0 4.x, sub-clients (users, usersByEmail, clients) whose
// calls take parameter objects and answer { data, headers, status };
// errors are ManagementApiError and AuthApiError.
export function openapi(pkg) {
  const { ManagementClient, AuthenticationClient } = require(pkg);
  const make = (token, defaults = false) => {
    // Retries off unless defaults asks for the SDK's own: 429 retried up
    // to 3 times, 500 ms doubling (retryWhen [429]).
    const m = new ManagementClient({ domain, token, ...(defaults ? {} : { retry: { enabled: false } }) });
    const auth = new AuthenticationClient({ domain, clientId: "sdk-check" });
    const data = async (p) => (await p).data;
    return {
      createUser: (body) => data(m.users.create(body)),
      getUser: (id) => data(m.users.get({ id })),
      updateUser: (id, patch) => data(m.users.update({ id }, patch)),
      deleteUser: (id) => data(m.users.delete({ id })),
      listUsers: async (params) => {
        const env = await data(m.users.getAll({ ...params, include_totals: true, search_engine: "v3" }));
        return { users: env.users, total: env.total };
      },
      allUsers: async ({ per_page, ...params }) => {
        const all = [];
        for (let page = 0; ; page++) {
          const users = await data(m.users.getAll({ ...params, page, per_page, search_engine: "v3" }));
          all.push(...users);
          if (users.length < per_page) return all;
        }
      },
      usersByEmail: (email) => data(m.usersByEmail.getByEmail({ email })),
      createClient: (body) => data(m.clients.create(body)),
      getClient: (id) => data(m.clients.get({ client_id: id })),
      updateClient: (id, patch) => data(m.clients.update({ client_id: id }, patch)),
      deleteClient: (id) => data(m.clients.delete({ client_id: id })),
      listClients: (params) => data(m.clients.getAll(params)),
      signup: (body) => data(auth.database.signUp(body)),
      withToken: make,
      withDefaultRetries: () => make(token, true),
      error: (err) => err.name === "AuthApiError"
        ? { status: err.statusCode, code: err.error, message: err.error_description }
        : { status: err.statusCode, code: err.errorCode, message: err.message },
    };
  };
  return make(token);
}

// fern: auth0 5.x, 6.x and 7.x, sub-clients whose list calls always send
// include_totals=true, read Auth0's envelope and answer a Page the SDK
// walks itself; errors carry Auth0's body parsed. The authentication
// client is there up to 6.x only.
export function fern(pkg) {
  const { ManagementClient, AuthenticationClient } = require(pkg);
  const make = (token, defaults = false) => {
    // Retries off unless defaults asks for the SDK's own: 408, 429 and
    // 5xx retried twice, after Retry-After when the answer has one.
    const m = new ManagementClient({ domain, token, ...(defaults ? {} : { maxRetries: 0 }) });
    const auth = AuthenticationClient && new AuthenticationClient({ domain, clientId: "sdk-check" });
    return {
      createUser: (body) => m.users.create(body),
      getUser: (id) => m.users.get(id),
      updateUser: (id, patch) => m.users.update(id, patch),
      deleteUser: (id) => m.users.delete(id),
      listUsers: async (params) => {
        const page = await m.users.list({ ...params, search_engine: "v3" });
        return { users: page.data, total: page.response.total };
      },
      allUsers: async (params) => {
        const all = [];
        for await (const u of await m.users.list({ ...params, search_engine: "v3" })) all.push(u);
        return all;
      },
      usersByEmail: (email) => m.users.listUsersByEmail({ email }),
      createClient: (body) => m.clients.create(body),
      getClient: (id) => m.clients.get(id),
      updateClient: (id, patch) => m.clients.update(id, patch),
      deleteClient: (id) => m.clients.delete(id),
      listClients: async (params) => {
        const all = [];
        for await (const c of await m.clients.list(params)) all.push(c);
        return all;
      },
      signup: auth && (async (body) => (await auth.database.signUp(body)).data),
      withToken: make,
      withDefaultRetries: () => make(token, true),
      error: (err) => err.name === "AuthApiError"
        ? { status: err.statusCode, code: err.error, message: err.error_description }
        : { status: err.statusCode, code: err.body?.errorCode, message: err.body?.message },
    };
  };
  return make(token);
}
