/**
 * A fault layer for a real Kinesis client: emulators never throttle, so PutRecords failures are injected
 * by a middleware. A faulted entry is removed from the request before it reaches the emulator and put
 * back into the response at its position with the chosen ErrorCode — so what the emulator stores is
 * exactly what the (faked) service reported as stored, and GetRecords can prove it.
 */
import {
  InternalFailureException,
  KinesisClient,
  ProvisionedThroughputExceededException,
  type PutRecordsInput,
  type PutRecordsOutput,
  type PutRecordsRequestEntry,
  type PutRecordsResultEntry,
} from "@aws-sdk/client-kinesis";

/** Decides, per PutRecords call (numbered from 1), what goes wrong. */
export interface PutRecordsFaultPlan {
  /** Fail the whole call with this error (nothing is sent). */
  failCall?(call: number): Error | undefined;
  /** Fail one entry with this ErrorCode (it is not sent). `position` is its index within the call. */
  failEntry?(entry: PutRecordsRequestEntry, call: number, position: number): string | undefined;
  /** Hold the call this long before sending it (to run past a deadline). */
  delayMs?(call: number): number;
}

/** What one PutRecords call carried, as the client sent it. */
export interface PutRecordsCall {
  readonly call: number;
  readonly partitionKeys: readonly string[];
  readonly bytes: number;
}

/** Installs `plan` on `client`; returns the log of calls and a way to remove the layer. */
export function injectPutRecordsFaults(client: KinesisClient, plan: PutRecordsFaultPlan): { calls: PutRecordsCall[]; remove(): void } {
  const calls: PutRecordsCall[] = [];
  const name = `putRecordsFaults-${Math.random().toString(36).slice(2)}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "PutRecordsCommand") return next(args);
      const input = args.input as PutRecordsInput;
      const call = calls.length + 1;
      const entries = input.Records ?? [];
      calls.push({
        call,
        partitionKeys: entries.map((e) => e.PartitionKey ?? ""),
        bytes: entries.reduce((sum, e) => sum + (e.Data?.length ?? 0) + Buffer.byteLength(e.PartitionKey ?? ""), 0),
      });
      const delay = plan.delayMs?.(call) ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const callError = plan.failCall?.(call);
      if (callError) throw callError;

      const codes = entries.map((entry, position) => plan.failEntry?.(entry, call, position));
      const passed = entries.filter((_, i) => codes[i] === undefined);
      let answered: PutRecordsResultEntry[] = [];
      let response: unknown;
      if (passed.length > 0) {
        const result = await next({ ...args, input: { ...input, Records: passed } });
        answered = (result.output as PutRecordsOutput).Records ?? [];
        response = result.response;
      }
      let nextAnswer = 0;
      const records: PutRecordsResultEntry[] = codes.map((code) =>
        code === undefined ? answered[nextAnswer++]! : { ErrorCode: code, ErrorMessage: `Injected fault: ${code}.` },
      );
      const output: PutRecordsOutput & { $metadata: object } = {
        $metadata: { httpStatusCode: 200 },
        FailedRecordCount: records.filter((r) => r.ErrorCode).length,
        Records: records,
      };
      return { output, response };
    },
    { step: "initialize", name },
  );
  return { calls, remove: () => void client.middlewareStack.remove(name) };
}

/** Whole-call errors shaped as the SDK throws them. */
export const callErrors = {
  throttled: () => new ProvisionedThroughputExceededException({ message: "Rate exceeded for stream.", $metadata: { httpStatusCode: 400 } }),
  internal: () => new InternalFailureException({ message: "Internal service failure.", $metadata: { httpStatusCode: 500 } }),
  connectionReset: () => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
  accessDenied: () =>
    Object.assign(new Error("User is not authorized to perform: kinesis:PutRecords"), {
      name: "AccessDeniedException",
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
    }),
};
