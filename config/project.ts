/** The Pulumi project: its name (the config namespace and every physical name's start) and its folder. */
import path from "node:path";

export const PROJECT = "kinesis-ingest";

/** The project's root folder, where `Pulumi.yaml` and the `Pulumi.<stack>.yaml` files live. */
export const PROJECT_DIR = path.resolve(__dirname, "..");
