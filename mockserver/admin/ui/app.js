// The dashboard's whole script: it polls the admin API and draws what it answers. No framework, no
// build step. Every text is set with textContent (journal paths and record values come from clients).
"use strict";

const API = "/__admin";
const SECRET = /password|secret|token|api_?key|private_key|credential|key_id|sentinel/i;
const MASK = "********";
let adminToken = sessionStorage.getItem("mockserver-admin-token") || "";
let vendors = [];
let lifecyclesServed = true;
const ROWS_SHOWN = 12;  // per tenant, until "show all" is clicked
const expanded = new Set();
const picked = new Map();  // the outcome chosen per lifecycle survives the next redraw

function $(id) { return document.getElementById(id); }

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

let said = 0;  // when the last message was shown: a poll does not wipe a message the user just got

function say(text, error) {
  const status = $("status");
  status.textContent = text || "";
  status.className = error ? "error" : "";
  said = text ? Date.now() : 0;
}

// A table is rebuilt only when what it shows changed, so rows (and a browser's references to them,
// a chosen option, a hovered button) stay put between polls while nothing happens.
const drawn = new Map();
function redraw(name, data, draw) {
  const key = JSON.stringify(data);
  if (drawn.get(name) === key) return;
  drawn.set(name, key);
  draw();
}

async function api(method, path, body) {
  const headers = {};
  if (adminToken) headers["X-Admin-Token"] = adminToken;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (response.status === 401) {
    $("token-box").hidden = false;
    throw new Error("admin token required");
  }
  if (!response.ok) throw Object.assign(new Error(answer.error || `${method} ${path}: ${response.status}`), { status: response.status });
  return answer;
}

// Shown the way the journal shows tokens: at most the first four characters.
function hint(token) { return token.length > 12 ? token.slice(0, 4) + "…" : "…"; }

function masked(value, key) {
  if (key && SECRET.test(key) && value !== null && value !== "") return MASK;
  if (Array.isArray(value)) return value.map((v) => masked(v));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, k)]));
  return value;
}

function stateClass(state) {
  const s = String(state).toLowerCase();
  if (/(succeed|success|complete|pass|configured|ok|active|created)/.test(s)) return "state ok";
  if (/(fail|error|cancel|invalid)/.test(s)) return "state bad";
  return "state run";
}

function label(record) {
  return record.name || record.displayName || record.display_name || record.label || record.type || record.destinationSpec || "";
}

// What a finished record says about itself, when no lifecycle run is in flight on it.
function recordStatus(record) {
  if (record.last_check && record.last_check.status) return `check ${record.last_check.status}`;
  if (record.last_test_succeeded === true) return "test passed";
  if (record.last_test_succeeded === false) return "test failed";
  for (const key of ["status", "state"]) if (typeof record[key] === "string") return record[key];
  if (record.configured === true) return "configured";
  if (record.configured === false) return "form incomplete";
  return "";
}

// -- drawing ------------------------------------------------------------------------------------------

function drawClock(clock) {
  $("clock-kind").textContent = clock.virtual ? "virtual clock" : "real clock";
  $("clock-now").textContent = clock.now;
  $("clock-jobs").textContent = `${clock.pending_jobs} pending job(s)` + (clock.next_due ? `, next at ${clock.next_due}` : "");
  $("advance").disabled = !clock.virtual;
  $("advance").title = clock.virtual ? "" : "start the server with --virtual-clock to advance it";
}

function drawRecords(state) {
  const box = $("records");
  const blocks = [];
  for (const [vendor, data] of Object.entries(state.vendors || {})) {
    const tenants = Object.entries(data.tenants || {});
    if (!tenants.length) continue;
    blocks.push(el("div", { class: "vendor", "data-vendor": vendor }, el("h3", {}, vendor), tenants.map(([token, tenant]) => drawTenant(vendor, token, tenant))));
  }
  box.replaceChildren(blocks.length ? el("div", { class: "vendors" }, blocks) : el("p", { class: "muted" }, "No records yet: call a vendor endpoint, or start with --demo."));
}

function drawTenant(vendor, token, tenant) {
  const collections = tenant.collections || {};
  const runs = collections.lifecycle_runs || [];
  const rows = [];
  for (const [name, records] of Object.entries(collections)) {
    if (name === "lifecycle_runs") continue;
    for (const record of records) {
      const active = runs.filter((run) => String(run.record_id) === String(record.id));
      const state = active.length ? active.map((run) => `${run.lifecycle.split(".").slice(1).join(".")}: ${run.state}`).join(", ") : recordStatus(record);
      rows.push(el("tr", { class: "record", "data-vendor": vendor, "data-collection": name, "data-id": record.id, title: JSON.stringify(masked(record), null, 1).slice(0, 2000) },
        el("td", { class: "mono" }, name), el("td", { class: "mono" }, record.id), el("td", {}, label(record)),
        el("td", {}, el("span", { class: "state " + stateClass(state).split(" ")[1] }, state))));
    }
  }
  const key = `${vendor}/${token}`;
  const hidden = expanded.has(key) ? 0 : Math.max(0, rows.length - ROWS_SHOWN);
  const more = hidden ? el("button", { class: "small more", type: "button", onclick: () => { expanded.add(key); refresh(); } }, `show ${hidden} more`) : null;
  const total = rows.length;
  if (hidden) rows.length = ROWS_SHOWN;
  return el("div", { class: "tenant", "data-vendor": vendor },
    el("div", { class: "tenant-head" },
      el("strong", { class: "mono" }, hint(token)),
      el("span", { class: "muted" }, `${total} record(s)`),
      el("button", { class: "small reset-tenant", type: "button", onclick: () => act(() => api("POST", "/reset", { vendor, token }), `reset ${vendor} tenant ${hint(token)}`) }, "reset tenant")),
    rows.length ? el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "collection"), el("th", {}, "id"), el("th", {}, "name"), el("th", {}, "state"))), el("tbody", {}, rows)) : null, more);
}

function drawLifecycles(answer) {
  const rows = (answer.lifecycles || []).map((lc) => {
    const path = `/lifecycles/${encodeURIComponent(lc.name)}`;
    const outcome = el("select", { class: "outcome" }, (lc.outcomes || []).map((state) => el("option", { value: state }, state)));
    const chosen = picked.get(lc.name);
    if (chosen) outcome.value = chosen;
    outcome.addEventListener("change", () => picked.set(lc.name, outcome.value));
    return el("tr", { "data-lifecycle": lc.name },
      el("td", { class: "mono" }, lc.name), el("td", {}, lc.mode),
      el("td", {}, [...(lc.states || []), (lc.outcomes || []).join(" | ")].join(" → ")), el("td", {}, lc.active_runs),
      el("td", {}, outcome, " ", el("button", { class: "small force", type: "button", onclick: () => act(() => api("POST", path + "/force", { state: outcome.value }), `the next ${lc.name} run ends ${outcome.value}`) }, "force")),
      el("td", {}, el("button", { class: "small advance", type: "button", onclick: () => act(() => api("POST", path + "/advance", {}), `advanced ${lc.name}`) }, "advance runs")));
  });
  $("lifecycles-rows").replaceChildren(...rows);
}

function drawChecks(answer) {
  $("checks-rows").replaceChildren(...answer.checks.map((rule) => el("tr", { class: "forced" },
    el("td", {}, rule.id), el("td", {}, rule.vendor), el("td", {}, rule.ok ? "succeed" : `fail: ${rule.message || "(default message)"}`), el("td", {}, rule.remaining),
    el("td", {}, el("button", { class: "small", type: "button", onclick: () => act(() => api("DELETE", `/scenarios/checks/${rule.id}`), `dropped forced outcome ${rule.id}`) }, "drop")))));
}

function drawFaults(answer) {
  $("faults-rows").replaceChildren(...answer.faults.map((rule) => {
    const matches = [rule.vendor || "any vendor", rule.method, rule.path || rule.path_regex].filter(Boolean).join(" ");
    const effect = [rule.latency_ms !== null ? `+${JSON.stringify(rule.latency_ms)} ms` : null, rule.status ? `status ${rule.status}` : null, rule.drop ? "drop" : null].filter(Boolean).join(", ");
    return el("tr", { class: "fault", "data-id": rule.id },
      el("td", {}, rule.id), el("td", { class: "mono" }, matches), el("td", {}, effect + (rule.count !== null ? ` (${rule.count} left)` : "")), el("td", {}, rule.fired),
      el("td", {}, el("button", { class: "small", type: "button", onclick: () => act(() => api("DELETE", `/faults/${rule.id}`), `dropped fault rule ${rule.id}`) }, "drop")));
  }));
}

function journalQuery() {
  const params = new URLSearchParams();
  for (const name of ["vendor", "method", "path", "status", "limit"]) {
    const value = $("journal-" + name).value.trim();
    if (value) params.set(name, value);
  }
  return params.toString();
}

function drawJournal(answer) {
  $("journal-matched").textContent = `${answer.matched} matched, ${answer.journal.kept} kept of ${answer.journal.total}`;
  $("journal-rows").replaceChildren(...answer.requests.slice().reverse().map((entry) => {
    const query = Object.entries(entry.query || {}).map(([k, v]) => `${k}=${v}`).join("&");
    const why = entry.reason || [entry.fault ? `fault: ${entry.fault}` : null, entry.prefer ? `Prefer: ${entry.prefer}` : null].filter(Boolean).join("; ");
    return el("tr", { class: "entry" + (entry.status >= 400 || entry.status === 0 ? " rejected" : ""), "data-id": entry.id, title: JSON.stringify(entry.request_body) },
      el("td", {}, entry.id), el("td", { class: "mono" }, entry.at.slice(11, 23)), el("td", {}, entry.vendor || "-"),
      el("td", { class: "mono" }, `${entry.method} ${entry.path}${query ? "?" + query : ""}`),
      el("td", { class: stateClass(entry.status >= 400 || entry.status === 0 ? "fail" : "ok") }, entry.status),
      el("td", {}, entry.duration_ms.toFixed(1)), el("td", { class: "mono" }, entry.tenant_hint || ""), el("td", { class: "why" }, why));
  }));
}

// -- polling and actions ------------------------------------------------------------------------------

let busy = false;

async function refresh() {
  if (busy) return;
  busy = true;
  try {
    const [clock, state, checks, faults, journal] = await Promise.all([
      api("GET", "/clock"), api("GET", "/state"), api("GET", "/scenarios/checks"), api("GET", "/faults"), api("GET", "/requests?" + journalQuery()),
    ]);
    redraw("clock", clock, () => drawClock(clock));
    redraw("records", [state, [...expanded]], () => drawRecords(state));
    redraw("checks", checks, () => drawChecks(checks));
    redraw("faults", faults, () => drawFaults(faults));
    redraw("journal", journal, () => drawJournal(journal));
    if (lifecyclesServed) {
      try {
        const lifecycles = await api("GET", "/lifecycles");
        redraw("lifecycles", lifecycles, () => drawLifecycles(lifecycles));
        $("lifecycles-section").hidden = false;
      } catch (error) {
        if (error.status === 404) lifecyclesServed = false;  // a server without the lifecycle calls
      }
    }
    $("token-box").hidden = true;
    document.body.dataset.ready = "true";
    if ($("status").className !== "error" && Date.now() - said > 5000) say("");
  } catch (error) {
    say(error.message, true);
  } finally {
    busy = false;
  }
}

async function act(call, done) {
  try {
    await call();
    say(done);
  } catch (error) {
    say(error.message, true);
  }
  await refresh();
}

function fill(select, names) {
  for (const name of names) select.append(el("option", { value: name }, name));
}

function wire() {
  $("advance").addEventListener("click", () => act(() => api("POST", "/clock/advance", { seconds: Number($("advance-seconds").value) }), `advanced ${$("advance-seconds").value} s`));
  $("reset-all").addEventListener("click", () => act(() => api("POST", "/reset", {}), "reset everything"));
  $("journal-clear").addEventListener("click", () => act(() => api("DELETE", "/requests"), "journal cleared"));
  $("journal-filters").addEventListener("input", () => refresh());
  $("journal-filters").addEventListener("submit", (event) => { event.preventDefault(); refresh(); });
  $("token-box").addEventListener("submit", (event) => {
    event.preventDefault();
    adminToken = $("token").value.trim();
    sessionStorage.setItem("mockserver-admin-token", adminToken);
    say("");
    load();
  });
  $("force").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { vendor: $("force-vendor").value, ok: $("force-ok").value === "true", times: Number($("force-times").value || 1) };
    if (!body.ok && $("force-message").value.trim()) body.message = $("force-message").value.trim();
    act(() => api("POST", "/scenarios/checks", body), `the next ${body.vendor} check will ${body.ok ? "succeed" : "fail"}`);
  });
  $("fault").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { status: Number($("fault-status").value || 503) };
    for (const name of ["vendor", "method", "path"]) if ($("fault-" + name).value.trim()) body[name] = $("fault-" + name).value.trim();
    if ($("fault-count").value) body.count = Number($("fault-count").value);
    act(() => api("POST", "/faults", body), "fault rule added");
  });
}

async function load() {
  try {
    const health = await api("GET", "/health");
    $("version").textContent = `${health.version} · ${health.vendors.map((v) => v.name).join(", ")}`;
    if (!vendors.length) {
      vendors = health.vendors.map((v) => v.name);
      for (const id of ["force-vendor", "fault-vendor", "journal-vendor"]) fill($(id), vendors);
    }
  } catch (error) {
    say(error.message, true);
    return;
  }
  await refresh();
}

document.addEventListener("DOMContentLoaded", () => {
  wire();
  load();
  setInterval(() => { if ($("auto").checked) (vendors.length ? refresh() : load()); }, 1000);
});
