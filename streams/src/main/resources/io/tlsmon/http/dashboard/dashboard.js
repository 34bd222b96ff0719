// The tlsmon dashboard: plain DOM, no framework, no build. Every value from the API is set as text
// (never as HTML): sender names and errors come from mail logs, so from anyone.
"use strict";

const OUTCOME_COLOURS = {
  OK: "#2e7d32", DEPRECATED_PROTOCOL: "#f9a825", PROTOCOL_VERSION_REJECTED: "#ef6c00", NO_SHARED_CIPHER: "#6a1b9a",
  CERTIFICATE_UNTRUSTED: "#c62828", CERTIFICATE_EXPIRED: "#ad1457", CERTIFICATE_NAME_MISMATCH: "#d81b60",
  LOCAL_CERTIFICATE_UNUSABLE: "#4e342e", STARTTLS_REQUIRED: "#1565c0", STARTTLS_NOT_OFFERED: "#0277bd",
  CONNECTION_DROPPED: "#455a64", HANDSHAKE_TIMEOUT: "#00838f", WRONG_PORT_OR_PROTOCOL: "#9e9e9e",
  POLICY_FAILURE: "#283593", OTHER_TLS_ERROR: "#757575"
};

function token() { return sessionStorage.getItem("tlsmonToken"); }

async function api(path) {
  const headers = {};
  if (token()) { headers.Authorization = "Bearer " + token(); }
  const r = await fetch(path, { headers });
  if (r.status === 401) {
    document.getElementById("login").hidden = false;
    throw new Error("the API needs its token");
  }
  if (!r.ok) { throw new Error(path + ": " + r.status); }
  return r.json();
}

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text === undefined || text === null ? "" : String(text);
  if (cls) { td.className = cls; }
  row.appendChild(td);
  return td;
}

function rows(tableId, items, fill) {
  const body = document.querySelector("#" + tableId + " tbody");
  body.replaceChildren();
  for (const item of items) {
    const tr = document.createElement("tr");
    fill(tr, item);
    body.appendChild(tr);
  }
  if (items.length === 0) {
    const tr = document.createElement("tr");
    const td = cell(tr, "none");
    td.colSpan = document.querySelectorAll("#" + tableId + " thead th").length;
    body.appendChild(tr);
  }
}

function when(iso) { return iso ? iso.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC") : ""; }

function duration(ms) {
  const m = Math.round(ms / 60000);
  return m < 1 ? "<1 min" : m < 120 ? m + " min" : Math.round(m / 60) + " h";
}

function windowLabel(ms) {
  return ms % 86400000 === 0 ? ms / 86400000 + " d" : ms % 3600000 === 0 ? ms / 3600000 + " h" : ms / 60000 + " min";
}

function summary(s) {
  document.getElementById("as-of").textContent = s.asOf ? "as of " + when(s.asOf) : "no data yet";
  const box = document.getElementById("summary");
  box.replaceChildren();
  const cards = [["senders", s.senders], ["attempts", s.attempts], ["failed", s.failures], ["active alerts", s.activeAlerts]];
  for (const [label, n] of Object.entries(s.tlsVersions)) { cards.push([label, n]); }
  for (const [label, n] of cards) {
    const d = document.createElement("div");
    d.className = "card";
    d.dataset.card = label;
    const b = document.createElement("b");
    b.textContent = String(n);
    d.append(b, label);
    box.appendChild(d);
  }
  chart(s.windows);
}

// One stacked bar per window size (5 min, 1 h, 1 d): what the current windows hold, as SVG.
function chart(windows) {
  const ns = "http://www.w3.org/2000/svg";
  const width = 640, barH = 26, gap = 12, left = 70;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", width);
  svg.setAttribute("height", windows.length * (barH + gap) + 10);
  svg.setAttribute("role", "img");
  const max = Math.max(1, ...windows.map(w => Object.values(w.outcomes).reduce((a, b) => a + b, 0)));
  const seen = new Set();
  windows.forEach((w, i) => {
    const y = 5 + i * (barH + gap);
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", 0);
    label.setAttribute("y", y + barH * 0.7);
    label.textContent = windowLabel(w.sizeMs);
    svg.appendChild(label);
    let x = left;
    for (const [outcome, n] of Object.entries(w.outcomes)) {
      const rect = document.createElementNS(ns, "rect");
      const wpx = (width - left - 10) * n / max;
      rect.setAttribute("x", x);
      rect.setAttribute("y", y);
      rect.setAttribute("width", wpx);
      rect.setAttribute("height", barH);
      rect.setAttribute("fill", OUTCOME_COLOURS[outcome] || "#999");
      rect.dataset.outcome = outcome;
      const title = document.createElementNS(ns, "title");
      title.textContent = outcome + ": " + n + " in the " + windowLabel(w.sizeMs) + " window from " + when(w.start);
      rect.appendChild(title);
      svg.appendChild(rect);
      x += wpx;
      seen.add(outcome);
    }
  });
  document.getElementById("chart").replaceChildren(svg);
  const legend = document.getElementById("legend");
  legend.replaceChildren();
  for (const outcome of seen) {
    const s = document.createElement("span");
    const i = document.createElement("i");
    i.style.background = OUTCOME_COLOURS[outcome] || "#999";
    s.append(i, outcome);
    legend.appendChild(s);
  }
}

// One stacked bar per hour, outcomes bottom to top in a fixed order, failures above OK, as SVG.
function history(h) {
  const ns = "http://www.w3.org/2000/svg";
  const width = 640, height = 180, left = 40, bottom = 20;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height + bottom);
  svg.setAttribute("role", "img");
  const buckets = h.buckets || [];
  const max = Math.max(1, ...buckets.map(b => b.attempts));
  // at most 40 px a bar: a few hours must not look like a long history
  const step = buckets.length ? Math.min(40, (width - left) / buckets.length) : 0;
  const order = Object.keys(OUTCOME_COLOURS);
  const axis = document.createElementNS(ns, "text");
  axis.setAttribute("x", 0);
  axis.setAttribute("y", 12);
  axis.textContent = String(max);
  svg.appendChild(axis);
  buckets.forEach((b, i) => {
    const g = document.createElementNS(ns, "g");
    g.dataset.hour = b.start;
    g.dataset.attempts = b.attempts;
    let y = height;
    for (const outcome of order.concat(Object.keys(b.outcomes).filter(o => !order.includes(o)))) {
      const n = b.outcomes[outcome];
      if (!n) continue;
      const hpx = height * n / max;
      y -= hpx;
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", left + i * step);
      rect.setAttribute("y", y);
      rect.setAttribute("width", Math.max(1, step - 1));
      rect.setAttribute("height", hpx);
      rect.setAttribute("fill", OUTCOME_COLOURS[outcome] || "#999");
      rect.dataset.outcome = outcome;
      const title = document.createElementNS(ns, "title");
      title.textContent = outcome + ": " + n + " in the hour from " + when(b.start);
      rect.appendChild(title);
      g.appendChild(rect);
    }
    svg.appendChild(g);
  });
  // the first hour under the first bar; the last one's end under the last bar, when there is room for both
  const labels = buckets.length ? [[left, "start", buckets[0].start]] : [];
  if (buckets.length * step > 340) {
    labels.push([left + buckets.length * step, "end", buckets[buckets.length - 1].start]);
  }
  for (const [x, anchor, start] of labels) {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", x);
    t.setAttribute("y", height + bottom - 4);
    t.setAttribute("text-anchor", anchor);
    t.textContent = when(start);
    svg.appendChild(t);
  }
  document.getElementById("history").replaceChildren(svg);
}

async function refresh() {
  const status = document.getElementById("status");
  try {
    const [s, senders, alerts, readiness, servers, hours] = await Promise.all([api("/api/summary"), api("/api/senders?limit=20"),
      api("/api/alerts/active"), api("/api/readiness"), api("/api/servers"), api("/api/history?since=PT47H")]);
    summary(s);
    history(hours);
    rows("senders", senders.senders, (tr, x) => {
      tr.dataset.sender = x.sender;
      cell(tr, x.sender); cell(tr, x.senderName); cell(tr, x.direction); cell(tr, x.failures, "num"); cell(tr, x.attempts, "num");
      cell(tr, x.lastOutcome); cell(tr, when(x.lastFailure)); cell(tr, x.lastError);
    });
    rows("alerts", alerts.alerts, (tr, a) => {
      tr.dataset.sender = a.sender;
      cell(tr, a.severity, "sev-" + a.severity); cell(tr, a.rule); cell(tr, a.senderName ? a.sender + " (" + a.senderName + ")" : a.sender);
      cell(tr, a.outcome); cell(tr, when(a.raisedAt)); cell(tr, a.summary); cell(tr, a.remediation);
    });
    rows("readiness", readiness.senders, (tr, r) => {
      tr.dataset.sender = r.sender;
      cell(tr, r.sender); cell(tr, r.senderName); cell(tr, r.direction); cell(tr, r.attempts, "num");
      cell(tr, r.deprecatedAttempts, "num"); cell(tr, r.versionRejections, "num");
      cell(tr, r.modernShare === undefined ? "" : Math.round(r.modernShare * 100) + " %", "num");
      cell(tr, (r.versionsSeen || []).join(" ")); cell(tr, when(r.lastDeprecated)); cell(tr, r.trend);
    });
    rows("servers", servers.servers, (tr, x) => {
      tr.dataset.server = x.server || "";
      cell(tr, x.server); cell(tr, x.logKind); cell(tr, when(x.lastLine)); cell(tr, duration(x.silentForMs), "num");
      cell(tr, x.silent ? "silent: coverage gap" : "reporting", x.silent ? "silent" : "");
    });
    const stale = [s, senders, alerts, readiness, servers, hours].some(x => x.stale);
    status.textContent = stale ? "partly from a standby copy" : "";
    status.className = "";
    document.body.dataset.loaded = "true";
  } catch (e) {
    status.textContent = e.message;
    status.className = "error";
  }
}

document.getElementById("login").addEventListener("submit", ev => {
  ev.preventDefault();
  sessionStorage.setItem("tlsmonToken", document.getElementById("token").value);
  document.getElementById("login").hidden = true;
  refresh();
});
refresh();
setInterval(refresh, 10000);
