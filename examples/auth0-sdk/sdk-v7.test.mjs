// auth0 7.x, the generation that always sends include_totals=true
// (adapters.mjs), through every check of scenarios.mjs.
import { scenarios } from "./scenarios.mjs";
import { fern, version } from "./adapters.mjs";

scenarios(`auth0 ${version("auth0")}`, fern("auth0"));
