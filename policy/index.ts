/**
 * The kinesis-ingest policy pack: `pulumi preview --policy-pack policy` (or `pulumi up --policy-pack policy`).
 * Every policy is mandatory: a violation stops the deployment.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("kinesis-ingest", { policies });
