// The console page's script: listens to the stack's server-sent events (/_local/console/events), writes
// each snapshot into the page, and runs the controls (the sink's refusal field, each queue's redrive).
// Plain browser JavaScript, served as is: no build step.
import { clock, consumerPanel, el, setRows, setText, updateConsumerPanel } from "./render.js";

const $ = (id) => document.getElementById(id);
const panels = new Map();
let latest;

/** Sends a control request; resolves with the parsed answer, or throws its message. */
async function control(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error?.message ?? answer.message ?? `HTTP ${response.status}`);
  return answer;
}

async function redrive(name, button, status) {
  if (button.getAttribute("aria-disabled") === "true") return; // one run at a time
  button.setAttribute("aria-disabled", "true");
  setText(status, "Redriving…");
  try {
    await control("POST", `/_local/console/consumers/${encodeURIComponent(name)}/redrive`, {});
  } catch (error) {
    setText(status, `The redrive failed: ${error.message}`);
  } finally {
    button.setAttribute("aria-disabled", "false");
  }
}

function renderConsumers(consumers) {
  const list = $("consumer-list");
  for (const consumer of consumers) {
    let view = panels.get(consumer.name);
    if (!view) {
      view = consumerPanel(consumer, redrive);
      panels.set(consumer.name, view);
      list.append(view.panel);
    }
    updateConsumerPanel(view, consumer);
  }
}

function renderSink(sink) {
  setText($("sink-url"), sink.url);
  setText($("sink-accepted"), sink.accepted);
  setText($("sink-rejected"), sink.rejected);
  setText($("sink-requests"), sink.requests);
  setText(
    $("refusal-state"),
    sink.refuseField === null
      ? "The sink accepts every record."
      : `The sink refuses (HTTP 422) every record whose data has "${sink.refuseField}": true.`,
  );
  document.body.classList.toggle("sink-refusing", sink.refuseField !== null);
  const input = $("refuse-field");
  if (sink.refuseField !== null && input.value === "" && document.activeElement !== input) input.value = sink.refuseField;
  const rows = sink.latest.map((r) => [
    String(r.order),
    clock(r.receivedAt),
    r.partitionKey ?? "",
    el("code", {}, [r.shardId, r.sequenceNumber].filter(Boolean).join(" ")),
    el("code", {}, r.data),
  ]);
  setRows($("sink-rows"), rows, 5, "Nothing delivered yet.");
}

function renderShards(snapshot) {
  const rows = snapshot.shards.map((s) => [
    el("code", {}, s.shardId),
    s.open ? "open" : "closed",
    s.parents.join(", ") || "—",
    el("code", {}, s.hashKeyRange),
    el("code", {}, s.startingSequenceNumber),
  ]);
  setRows($("shard-rows"), rows, 5, "No shard listed.");
  const scaling = snapshot.scaling;
  const events = scaling?.events.map((e) => `${clock(e.at)} ${e.reason}`).join("; ");
  setText(
    $("scaling"),
    !scaling
      ? ""
      : `Stream scaler (${scaling.minShards}–${scaling.maxShards} shards, ${scaling.periodSeconds}-second minutes): ` +
          (events || "no scaling yet") +
          (scaling.lastDecision ? `. Latest: ${scaling.lastDecision.reason}.` : "."),
  );
}

function renderCli(cli) {
  setText($("cli-environment"), cli.environment);
  const key = JSON.stringify(cli.groups);
  const root = $("cli-groups");
  if (root.dataset.key === key) return;
  root.dataset.key = key;
  root.replaceChildren(
    ...cli.groups.map((group) => {
      const table = el(
        "table",
        { class: "rows names" },
        el("caption", {}, group.service, " ", el("code", {}, group.endpoint)),
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "What"), el("th", { scope: "col" }, "Name, URL or id"))),
        el(
          "tbody",
          {},
          ...(group.names.length === 0
            ? [el("tr", {}, el("td", { colspan: 2 }, "none in this stack"))]
            : group.names.map((n) => el("tr", {}, el("th", { scope: "row" }, n.what), el("td", {}, el("code", {}, n.value))))),
        ),
      );
      return el("div", { class: "cli-group" }, table, el("p", {}, "Try: ", el("code", { class: "command" }, group.example)));
    }),
  );
}

function render(snapshot) {
  latest = snapshot;
  setText($("stack-name"), `"${snapshot.stack}" on ${snapshot.url}`);
  document.title = `${snapshot.stack}: kinesis-ingest local console`;
  setText($("stream-name"), snapshot.streamName);
  renderConsumers(snapshot.consumers);
  renderSink(snapshot.sink);
  renderShards(snapshot);
  renderCli(snapshot.cli);
  const problems = $("problems");
  problems.hidden = snapshot.problems.length === 0;
  setText(problems, snapshot.problems.join(" · "));
}

function connect() {
  const events = new EventSource("/_local/console/events");
  events.addEventListener("open", () => setText($("connection"), "Live: updates as the stack works."));
  events.addEventListener("snapshot", (event) => render(JSON.parse(event.data)));
  // EventSource reconnects by itself (every second, as the stream asks).
  events.addEventListener("error", () => setText($("connection"), "Not connected: is the local stack running? Retrying…"));
}

$("refusal-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const field = $("refuse-field").value.trim();
  if (field === "") return;
  try {
    await control("PUT", "/_local/sink/refusal", { field });
    setText($("refusal-state"), `The sink refuses (HTTP 422) every record whose data has "${field}": true.`);
  } catch (error) {
    setText($("refusal-state"), `Not changed: ${error.message}`);
  }
});

$("accept-all").addEventListener("click", async () => {
  try {
    await control("DELETE", "/_local/sink/refusal");
    setText($("refusal-state"), "The sink accepts every record.");
  } catch (error) {
    setText($("refusal-state"), `Not changed: ${error.message}`);
  }
});

connect();
// For a console in the browser's developer tools: the latest snapshot.
Object.defineProperty(window, "kinesisIngestSnapshot", { get: () => latest });
