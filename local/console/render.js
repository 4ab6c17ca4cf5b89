// The console's consumer panels: built once per consumer, then only their texts change, so keyboard focus
// and screen readers are not disturbed by the updates. Each panel has data-consumer="NAME" and each of its
// figures data-metric="received|delivered|failed|skipped|dlq" with the number as its text.

/** Creates an element with attributes and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child !== undefined && child !== null) node.append(child);
  return node;
}

/** Writes `text` only when it changed: a live region then announces changes only. */
export function setText(node, text) {
  const value = String(text);
  if (node.textContent !== value) node.textContent = value;
}

/** Replaces a table body's rows (rows hold no control, so nothing focused is lost). */
export function setRows(tbody, rows, columns, empty) {
  const key = JSON.stringify(rows);
  if (tbody.dataset.key === key) return;
  tbody.dataset.key = key;
  tbody.replaceChildren(
    ...(rows.length === 0
      ? [el("tr", {}, el("td", { colspan: columns }, empty))]
      : rows.map((cells) => el("tr", {}, ...cells.map((cell) => el("td", {}, cell))))),
  );
}

/** A readable duration. */
export function duration(ms) {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** A time of day from an ISO timestamp. */
export function clock(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) : "";
}

const FIGURES = [
  ["received", "Received"],
  ["delivered", "Delivered"],
  ["failed", "Failed"],
  ["skipped", "Skipped as duplicates"],
  ["dlq", "On-failure queue"],
];

const DETAILS = [
  ["isolated", "Isolated (of failed)", (c) => c.figures.isolated],
  ["notAttempted", "Not attempted (handed again later)", (c) => c.figures.notAttempted],
  ["iteratorAge", "Iterator age", (c) => duration(c.mapping?.iteratorAgeMs ?? 0)],
  ["inFlight", "Batches in flight", (c) => c.inFlight],
  ["invocations", "Mapping invocations", (c) => c.mapping?.invocations ?? 0],
  ["handed", "Records the mapping handed", (c) => c.mapping?.records ?? 0],
  ["retries", "Retries", (c) => c.mapping?.retries ?? 0],
  ["ranges", "Records in the mapping's ranges to the queue", (c) => c.mapping?.dlqRecords ?? 0],
];

/** The panel of one consumer; `onRedrive(name, button)` runs when its redrive button is pressed. */
export function consumerPanel(consumer, onRedrive) {
  const id = `consumer-${consumer.name.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
  const figures = el("dl", { class: "figures" });
  const numbers = {};
  for (const [metric, label] of FIGURES) {
    numbers[metric] = el("dd", { "data-metric": metric }, "0");
    figures.append(el("div", { class: `figure figure-${metric}` }, el("dt", {}, label), numbers[metric]));
  }
  const details = el("dl", { class: "details" });
  const detailValues = {};
  for (const [key, label] of DETAILS) {
    detailValues[key] = el("dd", {}, "0");
    details.append(el("div", {}, el("dt", {}, label), detailValues[key]));
  }
  const replay = el("p", { class: "note", hidden: true });
  const depth = el("span", {}, "0");
  const queueUrl = el("code", {}, "");
  const rows = el("tbody");
  const status = el("p", { id: `${id}-redrive-status`, class: "state", role: "status", "aria-live": "polite" });
  const button = el(
    "button",
    { type: "button", class: "redrive", "aria-describedby": `${id}-redrive-status` },
    `Redrive to ${consumer.name}`,
  );
  button.addEventListener("click", () => onRedrive(consumer.name, button, status));
  const panel = el(
    "section",
    { class: "consumer", "data-consumer": consumer.name, "aria-labelledby": `${id}-title` },
    el("h3", { id: `${id}-title` }, consumer.name, " ", el("span", { class: "kind" }, consumer.handler)),
    figures,
    details,
    replay,
    el(
      "div",
      { class: "on-failure", "data-on-failure": consumer.name },
      el("h4", {}, "On-failure queue: ", depth, " message(s) ", queueUrl),
      el(
        "table",
        { class: "rows" },
        el("caption", {}, `Latest on-failure records of ${consumer.name} (up to 10), newest first`),
        el("thead", {}, el("tr", {}, ...["Sent", "Range", "Condition", "Why"].map((h) => el("th", { scope: "col" }, h)))),
        rows,
      ),
      el("div", { class: "actions" }, button, status),
    ),
  );
  return { panel, numbers, detailValues, replay, depth, queueUrl, rows, button, status };
}

/** Writes a snapshot's view of one consumer into its panel. */
export function updateConsumerPanel(view, consumer) {
  for (const [metric] of FIGURES) setText(view.numbers[metric], consumer.figures[metric] ?? 0);
  view.panel.classList.toggle("has-failures", consumer.figures.dlq > 0);
  for (const [key, , value] of DETAILS) setText(view.detailValues[key], value(consumer));
  const replay = consumer.replayMapping;
  view.replay.hidden = !replay;
  if (replay)
    setText(view.replay, `Replay mapping (replayFrom): ${replay.records} records handed, iterator age ${duration(replay.iteratorAgeMs)}.`);
  setText(view.depth, consumer.queue.depth);
  setText(view.queueUrl, consumer.queue.url);
  setRows(
    view.rows,
    consumer.queue.latest.map((r) => [
      clock(r.sentAt),
      el("code", {}, r.range + (r.batchSize > 1 ? ` (${r.batchSize} records)` : "")),
      r.condition,
      (r.partitionKey !== undefined ? `key ${r.partitionKey}: ` : "") + r.why,
    ]),
    4,
    consumer.queue.depth === 0 ? "The queue is empty." : `${consumer.queue.depth} message(s) in flight (being redriven or read).`,
  );
  const run = consumer.redrive;
  // aria-disabled, not disabled: the button keeps the keyboard focus while its redrive runs.
  view.button.setAttribute("aria-disabled", String(run?.running === true));
  setText(view.status, run ? redriveText(run) : "");
}

function redriveText(run) {
  if (run.running) return `Redriving… ${run.messages} message(s) handled so far.`;
  if (run.error) return `The redrive failed: ${run.error}`;
  const written = run.newMessages > 0 ? `, ${run.newMessages} one-record message(s) written for records that still fail` : "";
  return `Last redrive (${clock(run.finishedAt)}): ${run.messages} message(s), ${run.deleted} removed from the queue, ${run.kept} kept${written}.`;
}
