/**
 * The Pulumi program of kinesis-ingest: reads the stack's `kinesis-ingest:*` config, validates all of it
 * before creating anything, composes the components and exports what operators and producers need:
 * `apiUrl` (`POST <apiUrl>/records`), `apiKey` (rest-api front: the usage plan key, secret), `streamName`,
 * `streamArn`, `consumers` (`{NAME: {functionName, dlqUrl}}`), `secretArns` (`apiTokens` and one per
 * consumer) and `alarmTopicArn` (when `observability.alarmEmail` is set).
 */
import * as pulumi from "@pulumi/pulumi";
import { fromPulumiConfig } from "./config";
import { kinesisIngest, stackOutputs } from "./components/program";

export = stackOutputs(kinesisIngest(fromPulumiConfig(pulumi.runtime.allConfig()), { stack: pulumi.getStack() }));
