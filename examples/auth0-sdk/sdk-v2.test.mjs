// auth0 2.x, the rest-facade generation (adapters.mjs), through every
// check of scenarios.mjs.
import { scenarios } from "./scenarios.mjs";
import { restFacade, version } from "./adapters.mjs";

scenarios(`auth0 ${version("auth0-v2")}`, restFacade("auth0-v2"));
