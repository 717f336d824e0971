// Bundles the two Amplify generations for the AmplifyDemo sample (run by its project when it builds):
// node build.mjs OUT_DIR. Each entry resolves its packages from the node_modules beside it.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] ?? path.join(here, "dist"));
const common = { bundle: true, format: "iife", platform: "browser", target: "es2020", minify: true, legalComments: "none", logLevel: "warning", define: { global: "window" } };

await build({ ...common, entryPoints: [path.join(here, "amplify-v6.js")], outfile: path.join(out, "amplify-v6.js") });
await build({ ...common, entryPoints: [path.join(here, "v3", "amplify-v3.js")], outfile: path.join(out, "amplify-v3.js") });
