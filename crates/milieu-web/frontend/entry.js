// The vendored bundle: sigma.js v3 and graphology, exposed as the global `MilieuGraph`
// for static/network.js (the page's CSP allows scripts from this origin only, no modules
// from elsewhere). Rebuild with `npm ci && npm run build` in this folder.
import Graph from "graphology";
import Sigma from "sigma";

window.MilieuGraph = { Graph, Sigma };
