/**
 * The 32 KB frame quota of API Gateway WebSocket APIs (semantics/websocket-limits.ts), which the `ws` library
 * cannot enforce (its `maxPayload` bounds a whole message): reads the frame headers (RFC 6455 §5.2) of the
 * bytes a client sends and says when a frame's payload is over the quota.
 */
export class FrameSizeWatch {
  private pending = Buffer.alloc(0);
  /** Payload bytes of the current frame still to come. */
  private skip = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Reads the next bytes of the stream: true when a frame over the quota begins in them. */
  feed(chunk: Buffer): boolean {
    let data = chunk;
    while (data.length > 0) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length);
        this.skip -= n;
        data = data.subarray(n);
        continue;
      }
      const header = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
      const parsed = frameHeader(header);
      if (parsed === undefined) {
        this.pending = Buffer.from(header);
        return false;
      }
      if (parsed.payloadBytes > this.maxFrameBytes) return true;
      this.pending = Buffer.alloc(0);
      this.skip = parsed.payloadBytes;
      data = header.subarray(parsed.headerBytes);
    }
    return false;
  }
}

/** The header's length and the payload's, or undefined when `bytes` does not hold the whole header yet. */
function frameHeader(bytes: Buffer): { headerBytes: number; payloadBytes: number } | undefined {
  const second = bytes[1];
  if (second === undefined) return undefined;
  const mask = second & 0x80 ? 4 : 0;
  const short = second & 0x7f;
  const extended = short === 126 ? 2 : short === 127 ? 8 : 0;
  const headerBytes = 2 + extended + mask;
  if (bytes.length < headerBytes) return undefined;
  const payloadBytes = short === 126 ? bytes.readUInt16BE(2) : short === 127 ? Number(bytes.readBigUInt64BE(2)) : short;
  return { headerBytes, payloadBytes };
}
