/**
 * The fan-out keys (`targetArn`, `fifo`, `eventBus`, `source`, `detailType`): each only for the kinds that
 * read it, ARNs per service (SQS CreateQueue, SNS CreateTopic, EventBridge CreateEventBus name rules), FIFO
 * names ending .fifo, EventBridge's Source and DetailType rules (PutEventsRequestEntry), one test per message.
 */
import { expect } from "chai";
import { ConfigValidationError, validateStackConfig } from "../../config";
import { eventBridgeEvent } from "../../config/fanout-settings";
import { problemsOf } from "./problems";

const stack = (consumer: Record<string, unknown>) => ({ consumers: { out: consumer } });
const problems = (consumer: Record<string, unknown>) => problemsOf(stack(consumer));

describe("config: fan-out consumer keys", () => {
  it("fills in each kind's fan-out settings; other kinds have none", () => {
    const config = validateStackConfig({
      consumers: {
        q: { handler: "sqs" },
        t: { handler: "sns", fifo: true },
        b: { handler: "eventbridge", source: "shop.orders", detailType: "Order placed" },
        f: { handler: "forwarder" },
      },
    });
    expect(config.consumers.q!.fanout).to.deep.equal({
      targetArn: undefined,
      fifo: false,
      eventBus: "custom",
      source: undefined,
      detailType: undefined,
    });
    expect(config.consumers.t!.fanout).to.deep.include({ fifo: true });
    expect(config.consumers.b!.fanout).to.deep.equal({
      targetArn: undefined,
      fifo: false,
      eventBus: "custom",
      source: "shop.orders",
      detailType: "Order placed",
    });
    expect(config.consumers.f).to.not.have.property("fanout");
  });

  it("derives an event's Source and DetailType from stack and consumer unless set", () => {
    const fanout = { fifo: false, eventBus: "custom" as const };
    expect(eventBridgeEvent("dev", "orders", fanout)).to.deep.equal({ source: "kinesis-ingest.dev", detailType: "orders record" });
    expect(eventBridgeEvent("dev", "orders", { ...fanout, source: "a.b", detailType: "X" })).to.deep.equal({
      source: "a.b",
      detailType: "X",
    });
  });

  it("refuses targetArn on a kind that does not read it", () => {
    expect(problems({ handler: "forwarder", targetArn: "arn:aws:sqs:eu-west-1:123456789012:q" })).to.deep.equal([
      '`consumers.out.targetArn` applies only to handler sqs or sns or eventbridge or stepfunctions; "forwarder" does not read it',
    ]);
  });

  it("refuses fifo with eventbridge", () => {
    expect(problems({ handler: "eventbridge", fifo: true })).to.deep.equal([
      '`consumers.out.fifo` applies only to handler sqs or sns; "eventbridge" does not read it',
    ]);
  });

  it("refuses source, detailType and eventBus on sqs", () => {
    expect(problems({ handler: "sqs", source: "a", detailType: "b", eventBus: "default" })).to.deep.equal([
      '`consumers.out.eventBus` applies only to handler eventbridge; "sqs" does not read it',
      '`consumers.out.source` applies only to handler eventbridge; "sqs" does not read it',
      '`consumers.out.detailType` applies only to handler eventbridge; "sqs" does not read it',
    ]);
  });

  it("refuses an sqs targetArn that is not a queue ARN", () => {
    expect(problems({ handler: "sqs", targetArn: "arn:aws:sns:eu-west-1:123456789012:t" })).to.deep.equal([
      '`consumers.out.targetArn` must be an SQS queue ARN such as arn:aws:sqs:eu-west-1:123456789012:orders (name: 1 to 80 letters, digits, `_` or `-`, FIFO ending .fifo), got "arn:aws:sns:eu-west-1:123456789012:t"',
    ]);
  });

  it("refuses an sns targetArn with a name over 256 characters", () => {
    const arn = `arn:aws:sns:eu-west-1:123456789012:${"t".repeat(257)}`;
    expect(problems({ handler: "sns", targetArn: arn })).to.have.length(1);
    expect(problems({ handler: "sns", targetArn: `arn:aws:sns:eu-west-1:123456789012:${"t".repeat(256)}` })).to.deep.equal([]);
  });

  it("refuses an eventbridge targetArn that is not an event bus ARN", () => {
    expect(problems({ handler: "eventbridge", targetArn: "orders" })).to.deep.equal([
      '`consumers.out.targetArn` must be an EventBridge event bus ARN such as arn:aws:events:eu-west-1:123456789012:event-bus/orders, got "orders"',
    ]);
  });

  it("refuses fifo: true with a standard queue", () => {
    expect(problems({ handler: "sqs", fifo: true, targetArn: "arn:aws:sqs:eu-west-1:123456789012:q" })).to.deep.equal([
      '`consumers.out.targetArn` must name a FIFO queue (ending .fifo) when `consumers.out.fifo` is true, got "arn:aws:sqs:eu-west-1:123456789012:q"',
    ]);
  });

  it("refuses a FIFO topic without fifo: true", () => {
    expect(problems({ handler: "sns", targetArn: "arn:aws:sns:eu-west-1:123456789012:t.fifo" })).to.deep.equal([
      '`consumers.out.targetArn` names a FIFO topic: set `consumers.out.fifo` to true (messages need a group id), got "arn:aws:sns:eu-west-1:123456789012:t.fifo"',
    ]);
  });

  it("refuses fifo that is not a boolean", () => {
    expect(problems({ handler: "sqs", fifo: "yes" })).to.deep.equal(['`consumers.out.fifo` must be true or false, got "yes"']);
  });

  it("refuses eventBus together with targetArn", () => {
    expect(
      problems({ handler: "eventbridge", eventBus: "default", targetArn: "arn:aws:events:eu-west-1:123456789012:event-bus/b" }),
    ).to.deep.equal([
      "`consumers.out.eventBus` chooses the bus the program uses when there is no `consumers.out.targetArn`; set one of them, not both",
    ]);
  });

  it("refuses an eventBus other than custom or default", () => {
    expect(problems({ handler: "eventbridge", eventBus: "shared" })).to.deep.equal([
      '`consumers.out.eventBus` must be one of custom, default, got "shared"',
    ]);
  });

  it("refuses a source starting aws. (reserved for AWS services)", () => {
    expect(problems({ handler: "eventbridge", source: "aws.kinesis" })).to.deep.equal([
      '`consumers.out.source` must not start with `aws.` (reserved for AWS services), got "aws.kinesis"',
    ]);
  });

  it("refuses a source with characters EventBridge does not allow", () => {
    expect(problems({ handler: "eventbridge", source: "my source" })).to.deep.equal([
      '`consumers.out.source` must be 1 to 256 letters, digits, `/`, `.`, `_` or `-`, got "my source"',
    ]);
  });

  it("refuses a detailType over 128 characters", () => {
    expect(problems({ handler: "eventbridge", detailType: "d".repeat(128) })).to.deep.equal([]);
    expect(problems({ handler: "eventbridge", detailType: "d".repeat(129) })).to.deep.equal([
      `\`consumers.out.detailType\` must be 1 to 128 characters, got "${"d".repeat(129)}"`,
    ]);
  });

  it("refuses a source that is not a string", () => {
    expect(problems({ handler: "eventbridge", source: 7 })).to.deep.equal(["`consumers.out.source` must be a string, got 7"]);
  });

  it("refuses a tumbling window on a fan-out kind (its responses carry no state)", () => {
    expect(problems({ handler: "sns", tumblingWindowSeconds: 60 })).to.deep.equal([
      "`consumers.out.tumblingWindowSeconds` must be 0 for handler sns (with a tumbling window Lambda requires every response to carry `state`, which it does not return), got 60",
    ]);
  });

  it("checks the FIFO queue's name against SQS CreateQueue's 80 characters", () => {
    const name = `q${"x".repeat(39)}`;
    let list: readonly string[] = [];
    try {
      validateStackConfig({ consumers: { [name]: { handler: "sqs", fifo: true } } }, "test", { stack: "stack-of-twenty-chars" });
    } catch (error) {
      list = (error as ConfigValidationError).problems;
    }
    expect(list.filter((p) => p.includes("fan-out target"))).to.deep.equal([
      `\`consumers.${name}\` (stack \`stack-of-twenty-chars\`) names the fan-out target of consumer ${name} \`kinesis-ingest-stack-of-twenty-chars-${name}.fifo\`, which is 82 characters; an SQS FIFO queue name has at most 80 (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html): shorten the name by 2 characters`,
    ]);
  });
});
