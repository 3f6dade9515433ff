// auth0 4.x, the first generated SDK (adapters.mjs), through every
// check of scenarios.mjs.
import { scenarios } from "./scenarios.mjs";
import { openapi, version } from "./adapters.mjs";

scenarios(`auth0 ${version("auth0-v4")}`, openapi("auth0-v4"));
