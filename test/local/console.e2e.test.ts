/**
 * The console in a real browser (headless Chromium, test/local/support/chromium.ts) against `npm start`:
 * records posted through the API move the figures live; a record the sink is told to refuse shows in the
 * forwarder's on-failure panel; once the sink accepts again, the redrive button empties the queue.
 * Screenshots go to `.local/artefacts/`; with UPDATE_CONSOLE_PNG=1 the README's docs/console.png is retaken.
 */
import { expect } from "chai";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { artefactPath, launchChromium, type HeadlessBrowser } from "./support/chromium";
import { eventually, startLocalStackProcess, type LocalStackProcess } from "./support/local-stack-process";

const README_PNG = path.resolve(__dirname, "../../docs/console.png");

describe("local stack: the console in a browser", function () {
  this.timeout(120_000);
  let stack: LocalStackProcess | undefined;
  let browser: HeadlessBrowser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    // The refusal starts off: the console turns it on, as SINK_REJECT_FIELD would at start-up.
    stack = await startLocalStackProcess([], { env: { SINK_REJECT_FIELD: "" } });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => void (message.type() === "error" && pageErrors.push(message.text())));
    await page.goto(`${stack.url}/`);
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const figure = (consumer: string, metric: string) => page.locator(`[data-consumer="${consumer}"] [data-metric="${metric}"]`);
  /** Waits until the figure's text is a number of at least `atLeast` (exactly `equals`); returns it. */
  async function waitForFigure(consumer: string, metric: string, want: { atLeast?: number; equals?: number }): Promise<number> {
    let text = "";
    return eventually(`${consumer}'s ${metric} to be ${JSON.stringify(want)} (it shows "${text}")`, async () => {
      text = (await figure(consumer, metric).textContent()) ?? "";
      const n = Number(text);
      const met = /^\d+$/.test(text) && (want.equals === undefined ? n >= (want.atLeast ?? 0) : n === want.equals);
      return met ? n : undefined;
    });
  }

  it("shows each consumer's figures as numbers, live, in panels marked for tests", async () => {
    await page.getByText("Live: updates as the stack works.").waitFor();
    for (const consumer of ["forwarder", "s3-archive"]) {
      for (const metric of ["received", "delivered", "failed", "skipped", "dlq"]) {
        expect(await figure(consumer, metric).textContent(), `${consumer} ${metric}`).to.match(/^\d+$/);
      }
    }
    expect(await page.locator("[data-consumer]").count()).to.equal(2);
  });

  it("counts records posted through the API, without a reload", async () => {
    const before = Number(await figure("forwarder", "delivered").textContent());
    const posted = await stack!.postRecords([1, 2, 3].map((n) => ({ data: { order: n }, partitionKey: `customer-${n}` })));
    expect(posted.status).to.equal(200);
    await waitForFigure("forwarder", "received", { atLeast: 3 });
    expect(await waitForFigure("forwarder", "delivered", { atLeast: 3 })).to.equal(before + 3);
    await waitForFigure("s3-archive", "delivered", { atLeast: 3 });
    expect(await figure("forwarder", "failed").textContent()).to.equal("0");
    await page.locator("#sink-rows").getByText("customer-3").waitFor();
  });

  it("makes the sink refuse a field from the page; the refused record shows in the on-failure panel", async () => {
    // By keyboard: the field is labelled, Enter submits.
    await page.getByLabel("Refuse records whose data has this field set to true").fill("poison");
    await page.getByLabel("Refuse records whose data has this field set to true").press("Enter");
    await page.locator("#refusal-state").getByText('"poison": true').waitFor();
    expect(await (await fetch(`${stack!.url}/_local/sink/refusal`)).json()).to.deep.equal({ field: "poison" });

    await stack!.postRecords([{ data: { poison: true, order: 4 }, partitionKey: "customer-poison" }]);
    await waitForFigure("forwarder", "dlq", { equals: 1 });
    expect(await waitForFigure("forwarder", "failed", { atLeast: 1 })).to.equal(1);
    const row = page.locator('[data-consumer="forwarder"] [data-on-failure] tbody tr');
    await row.getByText("RecordFailedPermanently").waitFor();
    expect(await row.textContent())
      .to.include("customer-poison")
      .and.include("422");
    await screenshot("console-refused.png", true);
  });

  it("accepts again and redrives from the page: the queue empties and the record is delivered", async () => {
    await page.getByRole("button", { name: "Accept all again" }).click();
    await page.locator("#refusal-state").getByText("accepts every record").waitFor();
    const delivered = Number(await figure("forwarder", "delivered").textContent());
    await page.getByRole("button", { name: "Redrive to forwarder" }).click();
    await waitForFigure("forwarder", "dlq", { equals: 0 });
    await page.locator('[data-consumer="forwarder"]').getByText("The queue is empty.").waitFor();
    await page
      .locator('[data-consumer="forwarder"]')
      .getByText(/Last redrive .*1 message\(s\), 1 removed from the queue, 0 kept/)
      .waitFor();
    expect(await waitForFigure("forwarder", "delivered", { atLeast: delivered + 1 })).to.equal(delivered + 1);
    await page.locator("#sink-rows").getByText("customer-poison").waitFor();
    await screenshot("console-redriven.png", false);
    expect(pageErrors).to.deep.equal([]);
  });

  /** Saves the whole page as a test artefact; the README's picture too when UPDATE_CONSOLE_PNG=1 and `forReadme`. */
  async function screenshot(file: string, forReadme: boolean): Promise<void> {
    const target = artefactPath(file);
    mkdirSync(path.dirname(target), { recursive: true });
    await page.screenshot({ path: target, fullPage: true });
    if (forReadme && process.env.UPDATE_CONSOLE_PNG === "1") {
      await page.evaluate("document.activeElement?.blur(); window.scrollTo(0, 0)");
      await page.setViewportSize({ width: 1280, height: 1400 });
      await page.screenshot({ path: README_PNG });
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  }
});
