// The network map: fetches /api/network (the page's filters, as data-api on #network-map),
// draws it with sigma.js (WebGL) and graphology from the vendored bundle (global MilieuGraph),
// and wires the search box, the highlight switches and the profile panel. Positions, colours
// and sizes come from the server. When sigma has rendered, #network-map gets
// data-rendered-nodes and data-rendered-edges (the numbers drawn).
(function () {
  "use strict";
  var container = document.getElementById("network-map");
  if (!container || !window.MilieuGraph) return;
  var status = document.getElementById("network-status");
  var tools = document.getElementById("network-tools");
  var profileEmpty = document.getElementById("net-profile-empty");
  var profileBody = document.getElementById("net-profile-body");
  var hlBrokers = document.getElementById("net-hl-brokers");
  var hlKey = document.getElementById("net-hl-key");
  var Graph = window.MilieuGraph.Graph;
  var Sigma = window.MilieuGraph.Sigma;

  var renderer = null;
  var graph = null;
  var selected = null;
  var neighbours = null;

  function say(text) {
    if (status) status.textContent = text;
  }

  function number(v) {
    if (typeof v !== "number") return String(v);
    return Number.isInteger(v) ? v.toLocaleString() : v.toFixed(4);
  }

  function showProfile(id) {
    selected = id;
    neighbours = id ? new Set(graph.neighbors(id)) : null;
    if (!profileBody) return;
    while (profileBody.firstChild) profileBody.removeChild(profileBody.firstChild);
    if (!id) {
      profileBody.hidden = true;
      if (profileEmpty) profileEmpty.hidden = false;
      renderer.refresh();
      return;
    }
    var a = graph.getNodeAttributes(id);
    var rows = [
      ["Name", a.label],
      ["Kind", a.orgKind],
      ["Sector", a.sector || "unknown"],
      ["Community", a.community + 1],
      ["Links", graph.degree(id)],
      ["Betweenness", a.betweenness],
      ["Eigenvector", a.eigenvector],
      ["PageRank", a.pagerank],
      ["Role", [a.broker ? "broker" : "", a.keyPlayer ? "key player" : ""].filter(Boolean).join(", ") || "none"],
    ];
    rows.forEach(function (r) {
      var dt = document.createElement("dt");
      dt.textContent = r[0];
      var dd = document.createElement("dd");
      dd.textContent = number(r[1]);
      profileBody.appendChild(dt);
      profileBody.appendChild(dd);
    });
    var dt = document.createElement("dt");
    dt.textContent = "Profile";
    var dd = document.createElement("dd");
    var link = document.createElement("a");
    link.href = "/orgs/" + encodeURIComponent(id);
    link.textContent = "open " + a.label;
    dd.appendChild(link);
    profileBody.appendChild(dt);
    profileBody.appendChild(dd);
    profileBody.hidden = false;
    if (profileEmpty) profileEmpty.hidden = true;
    renderer.refresh();
  }

  function nodeReducer(node, data) {
    var res = Object.assign({}, data);
    var highlighting = (hlBrokers && hlBrokers.checked) || (hlKey && hlKey.checked);
    if (highlighting) {
      var on = (hlBrokers && hlBrokers.checked && data.broker) || (hlKey && hlKey.checked && data.keyPlayer);
      if (on) {
        res.size = data.size * 1.6;
        res.forceLabel = true;
        res.zIndex = 1;
      } else {
        res.color = "#e2e4e8";
        res.label = "";
      }
    }
    if (selected) {
      if (node === selected) {
        res.highlighted = true;
        res.forceLabel = true;
        res.zIndex = 2;
      } else if (!neighbours.has(node)) {
        res.color = "#e2e4e8";
        res.label = "";
      }
    }
    return res;
  }

  function edgeReducer(edge, data) {
    if (!selected) return data;
    var ends = graph.extremities(edge);
    if (ends[0] === selected || ends[1] === selected) return Object.assign({}, data, { color: "#555", size: 1.5 });
    return Object.assign({}, data, { hidden: true });
  }

  function draw(map) {
    graph = new Graph({ type: "undirected", multi: false, allowSelfLoops: false });
    var nodes = map.nodes.map(function (n) {
      return {
        key: n.id,
        attributes: {
          x: n.x, y: n.y, size: n.size, color: n.color, label: n.label,
          orgKind: n.kind, sector: n.sector, community: n.community,
          broker: n.broker, keyPlayer: n.key_player,
          betweenness: n.betweenness, eigenvector: n.eigenvector, pagerank: n.pagerank,
        },
      };
    });
    var edges = map.edges.map(function (e) {
      return {
        source: e.source,
        target: e.target,
        attributes: { size: Math.min(0.5 + e.weight * 0.25, 3), color: "#c9ced6", tieKind: e.kind },
      };
    });
    graph.import({ nodes: nodes, edges: edges });
    renderer = new Sigma(graph, container, {
      hideEdgesOnMove: graph.size > 20000,
      labelRenderedSizeThreshold: 9,
      labelDensity: 0.5,
      zIndex: true,
      nodeReducer: nodeReducer,
      edgeReducer: edgeReducer,
    });
    var mark = function () {
      var shown = 0;
      graph.forEachNode(function (_n, a) {
        if (!a.hidden) shown += 1;
      });
      container.setAttribute("data-rendered-nodes", String(shown));
      container.setAttribute("data-rendered-edges", String(graph.size));
    };
    renderer.on("afterRender", mark);
    mark();
    renderer.on("clickNode", function (e) { showProfile(e.node); });
    renderer.on("clickStage", function () { showProfile(null); });
    if (hlBrokers) hlBrokers.addEventListener("change", function () { renderer.refresh(); });
    if (hlKey) hlKey.addEventListener("change", function () { renderer.refresh(); });
    setupSearch();
    if (tools) tools.hidden = false;
    say(map.stats.nodes.toLocaleString() + " organisations and " + map.stats.edges.toLocaleString() + " links drawn.");
  }

  function setupSearch() {
    var form = document.getElementById("network-search");
    var input = document.getElementById("net-search");
    var list = document.getElementById("net-names");
    if (!form || !input) return;
    if (list && graph.order <= 20000) {
      var frag = document.createDocumentFragment();
      graph.forEachNode(function (_n, a) {
        var o = document.createElement("option");
        o.value = a.label;
        frag.appendChild(o);
      });
      list.appendChild(frag);
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var q = input.value.trim().toLowerCase();
      if (!q) return;
      var exact = null;
      var partial = null;
      graph.forEachNode(function (n, a) {
        var l = String(a.label).toLowerCase();
        if (!exact && (l === q || n.toLowerCase() === q)) exact = n;
        if (!partial && l.indexOf(q) >= 0) partial = n;
      });
      var found = exact || partial;
      if (!found) {
        say("No organisation on the map matches \u201c" + input.value + "\u201d.");
        return;
      }
      showProfile(found);
      var d = renderer.getNodeDisplayData(found);
      if (d) renderer.getCamera().animate({ x: d.x, y: d.y, ratio: 0.15 }, { duration: 400 });
      say("Found " + graph.getNodeAttribute(found, "label") + ".");
    });
  }

  say("Loading the map\u2026");
  fetch(container.getAttribute("data-api"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) {
      if (!r.ok) throw new Error("the server answered " + r.status);
      return r.json();
    })
    .then(function (map) {
      try {
        draw(map);
      } catch (e) {
        say("The map could not be drawn (" + e.message + "); the table below lists the leading organisations.");
      }
    })
    .catch(function (e) {
      say("The map could not be loaded (" + e.message + ").");
    });
})();
