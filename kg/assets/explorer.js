"use strict";
// kg explorer: search, entity pages and a network view over `kg serve`'s JSON routes.
// The page's state lives in the address (?entity=ID, or ?view=network&expand=...&types=...),
// so a link shows the same view. Text from the store only ever goes through textContent.
(() => {
  const TYPES = {
    PERSON: { label: "Person", color: "#4e79a7" },
    ORG: { label: "Organization", color: "#f28e2b" },
    NORP: { label: "Group", color: "#b07aa1" },
    GPE: { label: "Place", color: "#59a8a2" },
  };
  const OTHER = { label: "Other", color: "#9e9e9e" };
  const RELATIONS = {
    ENDORSES: { label: "endorses", inverse: "endorsed by", color: "#59a14f" },
    DONATED_TO: { label: "donated to", inverse: "received donations from", color: "#c49a00" },
    CRITICIZED: { label: "criticized", inverse: "criticized by", color: "#e15759" },
  };
  const FILTER_KEYS = ["types", "from", "to", "source", "minconf"];
  const $ = (id) => document.getElementById(id);

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function plural(n, one, many) { return n.toLocaleString("en") + " " + (n === 1 ? one : many); }
  function typeOf(t) { return TYPES[t] || OTHER; }
  function badge(type) {
    const b = el("span", typeOf(type).label, "badge");
    b.style.background = typeOf(type).color;
    return b;
  }
  function link(text, href) {
    const a = el("a", text);
    a.href = href;
    return a;
  }
  function externalLink(text, url) {
    if (!url || !/^https?:\/\//i.test(url)) return el("span", text);
    const a = link(text, url);
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    return a;
  }
  function entityHref(id) { return "/?entity=" + encodeURIComponent(id); }

  async function api(path, params) {
    const query = new URLSearchParams(params || {}).toString();
    const response = await fetch(path + (query ? "?" + query : ""));
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    return body;
  }

  // -- navigation ------------------------------------------------------------------

  function state() { return new URLSearchParams(location.search); }
  function go(params, replace) {
    const query = params.toString();
    history[replace ? "replaceState" : "pushState"](null, "", "/" + (query ? "?" + query : ""));
    route();
  }
  document.addEventListener("click", (event) => {
    const a = event.target.closest("a");
    if (!a || a.target || a.hasAttribute("download") || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname !== "/") return;
    event.preventDefault();
    go(url.searchParams);
  });
  window.addEventListener("popstate", route);

  function route() {
    const params = state();
    const entity = params.get("entity");
    $("entity-view").hidden = !entity;
    $("network-view").hidden = !!entity;
    if (!facetsLoaded) facetsLoaded = loadFacets();  // the store's name in the header, the filters' choices
    if (entity) showEntity(entity);
    else showNetwork(params);
  }

  // -- search as you type ------------------------------------------------------------

  const search = $("search"), results = $("search-results"), box = $("search-box");
  let searchSeq = 0, active = -1;
  function closeResults() {
    results.hidden = true;
    box.setAttribute("aria-expanded", "false");
    active = -1;
  }
  function highlight(index) {
    const items = [...results.children];
    active = Math.max(-1, Math.min(index, items.length - 1));
    items.forEach((li, i) => li.setAttribute("aria-selected", String(i === active)));
  }
  search.addEventListener("input", async () => {
    const seq = ++searchSeq, text = search.value.trim();
    if (!text) { closeResults(); return; }
    let body;
    try { body = await api("/api/search", { q: text }); } catch (e) { return; }
    if (seq !== searchSeq) return;  // a later keystroke has its own answer coming
    results.replaceChildren();
    if (!body.results.length) results.append(el("li", "No entity matches " + JSON.stringify(text), "muted"));
    for (const r of body.results) {
      const li = el("li");
      li.setAttribute("role", "option");
      li.dataset.id = r.id;
      li.append(el("strong", r.name), " ", badge(r.type), " ", el("span", plural(r.relations, "relation", "relations"), "muted"));
      if (r.aliases && r.aliases.length) li.append(el("div", "also " + r.aliases.join(", "), "aliases muted"));
      li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(r.id); });
      results.append(li);
    }
    results.hidden = false;
    box.setAttribute("aria-expanded", "true");
    highlight(body.results.length ? 0 : -1);
  });
  search.addEventListener("keydown", (event) => {
    if (results.hidden) return;
    if (event.key === "ArrowDown") { highlight(active + 1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { highlight(active - 1); event.preventDefault(); }
    else if (event.key === "Escape") closeResults();
    else if (event.key === "Enter" && active >= 0 && results.children[active].dataset.id) {
      choose(results.children[active].dataset.id);
      event.preventDefault();
    }
  });
  search.addEventListener("blur", () => setTimeout(closeResults, 150));
  function choose(id) {
    closeResults();
    search.value = "";
    go(new URLSearchParams({ entity: id }));
  }

  // -- the entity page ----------------------------------------------------------------

  async function showEntity(id) {
    const view = $("entity-view");
    view.replaceChildren(el("p", "Loading\u2026", "muted"));
    let page;
    try { page = await api("/api/entity", { id }); } catch (e) {
      view.replaceChildren(el("p", e.message));
      return;
    }
    document.title = page.name + " \u2013 kg explorer";
    const head = el("div");
    const h1 = el("h1", page.name);
    h1.append(" ", badge(page.type));
    head.append(h1);
    if (page.aliases.length) head.append(el("p", "Also known as: " + page.aliases.join(", ")));
    const networkLink = link("Show in the network", "/?" + new URLSearchParams({ view: "network", expand: page.id }));
    networkLink.id = "show-in-network";
    head.append(networkLink);
    view.replaceChildren(head);

    view.append(el("h2", "Relations"));
    const table = el("table");
    table.id = "relations";
    const hr = el("tr");
    for (const h of ["relation", "pieces of evidence", "entities"]) hr.append(el("th", h));
    table.append(hr);
    let any = false;
    for (const direction of ["out", "in"]) {
      for (const [relation, counts] of Object.entries(page.relations[direction])) {
        any = true;
        const r = RELATIONS[relation];
        const tr = el("tr");
        const name = el("td", direction === "out" ? r.label : r.inverse);
        name.style.color = r.color;
        tr.append(name, el("td", counts.pieces, "num"), el("td", counts.entities, "num"));
        table.append(tr);
      }
    }
    view.append(any ? table : el("p", "No relations.", "muted"));

    const given = Object.entries(page.money.given), received = Object.entries(page.money.received);
    if (given.length || received.length || page.money_unknown.given || page.money_unknown.received) {
      view.append(el("h2", "Money"));
      const money = el("table");
      money.id = "money";
      const fmt = (amount, currency) => currency + " " + amount.toLocaleString("en", { maximumFractionDigits: 2 });
      for (const [side, rows, unknown] of [["given", given, page.money_unknown.given], ["received", received, page.money_unknown.received]]) {
        for (const [currency, amount] of rows) {
          const tr = el("tr");
          tr.append(el("td", side), el("td", fmt(amount, currency), "num"));
          money.append(tr);
        }
        if (unknown) {
          const tr = el("tr");
          tr.append(el("td", side), el("td", plural(unknown, "donation", "donations") + " of unknown amount", "muted"));
          money.append(tr);
        }
      }
      view.append(money);
    }

    view.append(el("h2", "Timeline"));
    if (!page.timeline.length) view.append(el("p", "No dated relations.", "muted"));
    else {
      const list = el("ul", undefined, "timeline");
      list.id = "timeline";
      for (const day of page.timeline) {
        const li = el("li");
        li.append(el("span", day.date || "undated", "date"));
        for (const r of day.relations) {
          const rel = RELATIONS[r.relation];
          const chip = el("span", (r.direction === "out" ? rel.label + " " : rel.inverse + " ") + r.other, "chip");
          chip.style.color = rel.color;
          chip.title = r.article || "";
          li.append(chip);
        }
        list.append(li);
      }
      view.append(list);
    }

    view.append(el("h2", "Evidence (" + plural(page.evidence.length, "piece", "pieces") + ")"));
    view.append(evidenceList(page.evidence, page.name));

    view.append(el("h2", "Articles that mention " + page.name + " (" + page.articles.length + ")"));
    const articles = el("ul", undefined, "evidence-list");
    articles.id = "articles";
    for (const a of page.articles) {
      const li = el("li");
      li.append(externalLink(a.title || a.id, a.url), el("div", [a.published, a.source].filter(Boolean).join(" \u00b7 "), "source muted"));
      articles.append(li);
    }
    view.append(articles);
  }

  // One list item per piece of evidence; rows of entity-evidence (with other) or pair-evidence.
  function evidenceList(rows, name) {
    const list = el("ul", undefined, "evidence-list");
    for (const e of rows) {
      const li = el("li");
      if (e.other !== undefined) {
        const rel = RELATIONS[e.relation];
        const head = el("div");
        const verb = el("strong", e.direction === "out" ? rel.label : rel.inverse);
        verb.style.color = rel.color;
        head.append(verb, " ", link(e.other, entityHref(e.other_id)));
        if (e.amount) head.append(" \u00b7 " + e.amount);
        li.append(head);
      } else if (e.amount) {
        li.append(el("div", e.amount));
      }
      li.append(el("p", "\u201c" + e.sentence + "\u201d", "sentence"));
      const source = el("div", undefined, "source muted");
      source.append(externalLink(e.article || "untitled article", e.url));
      const details = [e.published || "undated", e.source, e.confidence != null ? "confidence " + Number(e.confidence).toFixed(2) : null];
      source.append(" \u00b7 " + details.filter(Boolean).join(" \u00b7 "));
      li.append(source);
      list.append(li);
    }
    return list;
  }

  // -- the network view ------------------------------------------------------------------

  let renderer = null, graph = null, facetsLoaded = null, networkSeq = 0;
  let selected = null;  // the entity whose details the side panel shows, kept across redraws

  function filterParams(params) {
    const out = {};
    for (const key of FILTER_KEYS) if (params.get(key)) out[key] = params.get(key);
    return out;
  }

  async function loadFacets() {
    const f = await api("/api/facets");
    $("store").textContent = f.store;
    const types = $("filter-types");
    for (const t of f.relations) {
      const label = el("label");
      const box = el("input");
      box.type = "checkbox";
      box.value = t;
      box.name = "types";
      const swatch = el("span", undefined, "swatch line");
      swatch.style.background = RELATIONS[t].color;
      label.append(box, " ", swatch, " ", RELATIONS[t].label);
      types.append(label);
    }
    const sources = $("filter-sources");
    if (!f.sources.length) sources.append(el("span", "no sources recorded", "muted"));
    for (const s of f.sources) {
      const label = el("label");
      const box = el("input");
      box.type = "checkbox";
      box.value = s.source;
      box.name = "source";
      label.append(box, " " + s.source + " ", el("span", "(" + s.articles + ")", "muted"));
      sources.append(label);
    }
    $("filter-from").placeholder = f.first || "YYYY-MM-DD";
    $("filter-to").placeholder = f.last || "YYYY-MM-DD";
    const legend = $("legend");
    for (const t of Object.values(TYPES)) {
      const li = el("li");
      const swatch = el("span", undefined, "swatch");
      swatch.style.background = t.color;
      li.append(swatch, t.label);
      legend.append(li);
    }
    $("filters").addEventListener("change", applyFilters);
    $("filter-minconf").addEventListener("input", () => { $("filter-minconf-value").textContent = $("filter-minconf").value; });
    $("reset").addEventListener("click", () => go(new URLSearchParams({ view: "network" })));
    $("export-png").addEventListener("click", exportPng);
  }

  // The form shows the address's filters; a change in the form makes a new address.
  function showFilters(params) {
    const types = (params.get("types") || "").split(",").filter(Boolean);
    for (const box of document.querySelectorAll("#filter-types input")) box.checked = !types.length || types.includes(box.value);
    const sources = (params.get("source") || "").split(",").filter(Boolean);
    for (const box of document.querySelectorAll("#filter-sources input")) box.checked = sources.includes(box.value);
    $("filter-from").value = params.get("from") || "";
    $("filter-to").value = params.get("to") || "";
    $("filter-minconf").value = params.get("minconf") || "0";
    $("filter-minconf-value").textContent = $("filter-minconf").value;
  }
  function applyFilters() {
    const params = state();
    const checked = (sel) => [...document.querySelectorAll(sel)].filter((b) => b.checked).map((b) => b.value);
    const types = checked("#filter-types input");
    const all = document.querySelectorAll("#filter-types input").length;
    const values = {
      types: types.length === all ? "" : types.join(",") || "none",
      source: checked("#filter-sources input").join(","),
      from: $("filter-from").value.trim(),
      to: $("filter-to").value.trim(),
      minconf: $("filter-minconf").value === "0" ? "" : $("filter-minconf").value,
    };
    params.set("view", "network");
    for (const [key, value] of Object.entries(values)) {
      if (value) params.set(key, value); else params.delete(key);
    }
    go(params, true);
  }

  async function showNetwork(params) {
    document.title = "Network \u2013 kg explorer";
    if (!facetsLoaded) facetsLoaded = loadFacets();
    await facetsLoaded;
    showFilters(params);
    const seq = ++networkSeq;
    const expand = (params.get("expand") || "").split(",").filter(Boolean);
    const status = $("network-status");
    $("export-graphml").href = "/api/network.graphml?" + new URLSearchParams({ expand: expand.join(","), ...filterParams(params) });
    if (params.get("types") === "none") {
      draw({ nodes: [], edges: [], expanded: [] }, expand);
      status.textContent = "No relation type is chosen.";
      return;
    }
    status.textContent = "Loading\u2026";
    let view;
    try { view = await api("/api/network", { expand: expand.join(","), ...filterParams(params) }); } catch (e) {
      status.textContent = e.message;
      return;
    }
    if (seq !== networkSeq || $("network-view").hidden) return;  // another view was asked for meanwhile
    draw(view, expand);
    const pieces = view.edges.reduce((n, e) => n + e.evidence, 0);
    status.textContent = (expand.length ? "Around " + plural(expand.length, "entity", "entities") + ": " : "The most connected entities: ")
      + plural(view.nodes.length, "entity", "entities") + ", " + plural(view.edges.length, "related pair", "related pairs")
      + ", " + plural(pieces, "piece of evidence", "pieces of evidence")
      + (view.truncated ? " (cut short: too many to draw)" : "")
      + (view.nodes.length ? "" : ". Nothing passes the filters.");
  }

  function draw(view, expand) {
    const previous = graph;
    graph = new graphology.MultiDirectedGraph();
    const maxEvidence = Math.max(1, ...view.nodes.map((n) => n.evidence));
    const count = view.nodes.length;
    view.nodes.forEach((n, i) => {
      let x, y;
      if (previous && previous.hasNode(n.id)) ({ x, y } = previous.getNodeAttributes(n.id));
      else {
        const angle = (2 * Math.PI * i) / Math.max(count, 1);
        x = Math.cos(angle) * 100 + Math.random();
        y = Math.sin(angle) * 100 + Math.random();
      }
      graph.addNode(n.id, {
        label: n.name, x, y, kgType: n.type, evidence: n.evidence,
        size: 5 + 13 * Math.sqrt(n.evidence / maxEvidence),
        color: typeOf(n.type).color,
        expanded: expand.includes(n.id),
      });
    });
    // New nodes start beside an expanded neighbour, so the layout grows out of the old one.
    if (previous) {
      for (const e of view.edges) {
        for (const [node, other] of [[e.source, e.target], [e.target, e.source]]) {
          if (!previous.hasNode(node) && previous.hasNode(other) && !graph.getNodeAttribute(node, "placed")) {
            const at = previous.getNodeAttributes(other);
            graph.mergeNodeAttributes(node, { x: at.x + (Math.random() - 0.5) * 20, y: at.y + (Math.random() - 0.5) * 20, placed: true });
          }
        }
      }
    }
    for (const e of view.edges) {
      graph.addEdgeWithKey(e.relation + "|" + e.source + "|" + e.target, e.source, e.target, {
        relation: e.relation, evidence: e.evidence,
        size: Math.min(3 + 2.5 * Math.log2(e.evidence), 14),
        color: RELATIONS[e.relation].color,
        type: "arrow",
      });
    }
    if (count > 1) {
      const fa2 = graphologyLibrary.layoutForceAtlas2;
      const settings = fa2.inferSettings(graph);
      fa2.assign(graph, { iterations: count > 500 ? 60 : 200, settings: { ...settings, adjustSizes: false, barnesHutOptimize: count > 300 } });
      graphologyLibrary.layoutNoverlap.assign(graph, { maxIterations: 50, settings: { ratio: 1.4, margin: 4 } });
      if (count <= LABELLED) spreadLabels(graph, $("graph").clientWidth, $("graph").clientHeight);
    }
    if (renderer) renderer.kill();
    renderer = new Sigma(graph, $("graph"), {
      enableEdgeEvents: true,
      renderEdgeLabels: false,
      defaultEdgeType: "arrow",
      labelFont: "system-ui, sans-serif",  // LABEL_FONT, as sigma takes it
      labelSize: 14,
      labelWeight: "600",
      labelColor: { color: "#1f2328" },
      labelRenderedSizeThreshold: count > LABELLED ? 7 : 0,
      labelDensity: count > LABELLED ? 0.5 : 1000,  // up to LABELLED, every label (spreadLabels keeps them apart)
      zIndex: true,
      stagePadding: 50,
    });
    if (count) frameLabels(renderer, graph);
    renderer.on("clickNode", ({ node }) => expandNode(node));
    renderer.on("clickEdge", ({ edge }) => showEdge(edge));
    renderer.on("enterNode", () => { $("graph").style.cursor = "pointer"; });
    renderer.on("leaveNode", () => { $("graph").style.cursor = ""; });
    renderer.on("enterEdge", () => { $("graph").style.cursor = "pointer"; });
    renderer.on("leaveEdge", () => { $("graph").style.cursor = ""; });
    window.kgExplorer = { renderer, graph, png };  // for the browser tests and the console
    if (selected && graph.hasNode(selected)) showNode(selected);
    else {
      delete $("panel").dataset.edge;
      $("panel").replaceChildren(el("p", "Nothing selected.", "muted"));
    }
  }

  // Views up to this many entities label every one; bigger ones label the biggest.
  const LABELLED = 150;
  const LABEL_FONT = "600 14px system-ui, sans-serif", LABEL_HEIGHT = 18, CAMERA_RATIO = 1.25, FRAME_MARGIN = 24;

  function labelWidth(measure, at) { return at.size + 4 + measure.measureText(at.label).width; }

  // Points the camera so that the labels (drawn right of their dots) fit in the area too:
  // measured on screen, then zoomed and moved; twice more, since labels keep their size as it zooms.
  function frameLabels(renderer, graph) {
    const measure = el("canvas").getContext("2d");
    measure.font = LABEL_FONT;
    const { width, height } = renderer.getDimensions();
    if (!width || !height) return;
    const camera = renderer.getCamera();
    for (let round = 0; round < 3; round++) {
      let left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
      graph.forEachNode((n, at) => {
        const p = renderer.graphToViewport(at);
        left = Math.min(left, p.x - at.size);
        right = Math.max(right, p.x + labelWidth(measure, at));
        top = Math.min(top, p.y - LABEL_HEIGHT);
        bottom = Math.max(bottom, p.y + LABEL_HEIGHT);
      });
      const zoom = Math.max((right - left) / (width - 2 * FRAME_MARGIN), (bottom - top) / (height - 2 * FRAME_MARGIN), 0.5);
      const centre = renderer.viewportToFramedGraph({ x: (left + right) / 2, y: (top + bottom) / 2 });
      camera.setState({ x: centre.x, y: centre.y, ratio: camera.getState().ratio * zoom });
      renderer.refresh();  // positions on screen are those of the last drawing
    }
  }

  // Moves entities apart until no two labels (drawn right of their dot) overlap on screen,
  // each pair pushed apart along the axis where they overlap least. Works in screen pixels,
  // converted with the scale at which sigma will fit the layout into the drawing area.
  function spreadLabels(graph, width, height) {
    if (!width || !height) return;
    const measure = el("canvas").getContext("2d");
    measure.font = LABEL_FONT;
    const boxes = graph.nodes().map((n) => {
      const at = graph.getNodeAttributes(n);
      return { n, at, w: labelWidth(measure, at), r: at.size };
    });
    for (let round = 0; round < 80; round++) {
      const xs = boxes.map((b) => b.at.x), ys = boxes.map((b) => b.at.y);
      const scale = Math.min(width / (Math.max(...xs) - Math.min(...xs) || 1),
                             height / (Math.max(...ys) - Math.min(...ys) || 1)) / CAMERA_RATIO;
      let moved = false;
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i], b = boxes[j];
          const ax = a.at.x * scale, bx = b.at.x * scale, ay = a.at.y * scale, by = b.at.y * scale;
          const overlapX = Math.min(ax + a.w, bx + b.w) - Math.max(ax - a.r, bx - b.r);
          const overlapY = Math.min(ay, by) + LABEL_HEIGHT - Math.max(ay, by) + 2;
          if (overlapX <= 0 || overlapY <= 0) continue;
          moved = true;
          if (overlapY <= overlapX) {
            const push = (overlapY / 2 + 1) / scale * (ay <= by ? -1 : 1);
            a.at.y += push;
            b.at.y -= push;
          } else {
            const push = (overlapX / 2 + 1) / scale * (ax <= bx ? -1 : 1);
            a.at.x += push;
            b.at.x -= push;
          }
        }
      }
      if (!moved) break;
    }
    for (const b of boxes) graph.mergeNodeAttributes(b.n, { x: b.at.x, y: b.at.y });
  }

  function expandNode(node) {
    selected = node;
    const params = state();
    const expand = (params.get("expand") || "").split(",").filter(Boolean);
    if (!expand.includes(node)) expand.push(node);
    params.set("view", "network");
    params.set("expand", expand.join(","));
    go(params);
  }

  function showNode(node) {
    delete $("panel").dataset.edge;
    const at = graph.hasNode(node) ? graph.getNodeAttributes(node) : null;
    if (!at) return;
    const panel = $("panel");
    const h = el("h2", at.label);
    h.append(" ", badge(at.kgType));
    panel.replaceChildren(h, el("p", plural(at.evidence, "piece of evidence", "pieces of evidence") + " in this view."),
      link("Open the entity page", entityHref(node)));
  }

  async function showEdge(edge) {
    selected = null;
    const at = graph.getEdgeAttributes(edge);
    const source = graph.source(edge), target = graph.target(edge);
    const panel = $("panel");
    const rel = RELATIONS[at.relation];
    const h = el("h2");
    const verb = el("span", rel.label);
    verb.style.color = rel.color;
    h.append(link(graph.getNodeAttribute(source, "label"), entityHref(source)), " ", verb, " ",
      link(graph.getNodeAttribute(target, "label"), entityHref(target)));
    panel.replaceChildren(h, el("p", plural(at.evidence, "piece of evidence", "pieces of evidence"), "muted"), el("p", "Loading\u2026", "muted"));
    panel.dataset.edge = edge;
    let body;
    try {
      body = await api("/api/evidence", { subject: source, object: target, relation: at.relation, ...filterParams(state()) });
    } catch (e) {
      panel.lastChild.textContent = e.message;
      return;
    }
    const list = evidenceList(body.evidence);
    list.id = "edge-evidence";
    panel.lastChild.replaceWith(list);
  }

  // The drawing as a PNG (a data: address): sigma's layers (edges, nodes, labels) onto one white canvas.
  function png() {
    renderer.refresh();  // draws now, so the WebGL layers still hold the picture below
    const layers = [...$("graph").querySelectorAll("canvas")];
    const { width, height } = layers[0];
    const canvas = el("canvas");
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, width, height);
    for (const layer of layers) ctx.drawImage(layer, 0, 0, width, height);
    return canvas.toDataURL("image/png");
  }
  function exportPng() {
    if (!renderer) return;
    const a = el("a");
    a.download = "kg-view.png";
    a.href = png();
    document.body.append(a);
    a.click();
    a.remove();
  }

  route();
})();
