/**
 * SHA-256 and HMAC-SHA-256 from `node:crypto` in the shape the AWS SDK's SigV4 signer (@smithy/signature-v4)
 * takes as its `sha256`: the canary signs with it, and the local stack checks signatures with it.
 */
import { createHash, createHmac } from "node:crypto";
import type { Checksum, SourceData } from "@smithy/types";

export class Sha256 implements Checksum {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    throw new Error("not used by the signer");
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
