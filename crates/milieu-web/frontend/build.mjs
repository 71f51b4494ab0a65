// Builds ../static/vendor/sigma-graphology.js from entry.js: one minified IIFE, no eval,
// no workers, so it runs under `script-src 'self'`.
import { build } from "esbuild";

await build({
  entryPoints: ["entry.js"],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2019"],
  legalComments: "inline",
  outfile: "../static/vendor/sigma-graphology.js",
});
