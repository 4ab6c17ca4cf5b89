/**
 * The API front as the Application Load Balancer runs it (components/fronts/alb.ts): listener rules
 * forwarding `POST /records` to the ingest function's target group (multi-value headers off), a fixed
 * `GET /health` answer and a fixed 404 for everything else (handlers/lib/front-answers.ts), the token checked
 * inside the ingest function (an ALB has no authorizer), and the load balancer's own 502 page when the
 * function fails or answers something that is not a target response.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendText } from "../http-util";
import type { ALBEvent } from "aws-lambda";
import { ALB_NOT_FOUND_BODY, HEALTH_BODY } from "../../handlers/lib/front-answers";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "../emulators";
import type { LocalFunction } from "../functions";
import { eventBody, routeOf, writeIntegrationResult, type LocalFront } from "./front";

/** The media types an ALB passes as text; it base64-encodes every other body. */
const ALB_TEXT_TYPES = /^(text\/|application\/(json|javascript|xml)\b)/i;

const TARGET_GROUP_ARN = `arn:aws:elasticloadbalancing:${LOCAL_REGION}:${LOCAL_ACCOUNT}:targetgroup/local-ingest/0123456789abcdef`;

/** The load balancer's own error page (its body is HTML, whatever the target's format). */
const BAD_GATEWAY =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

export class AlbFront implements LocalFront {
  constructor(private readonly ingest: LocalFunction) {}

  /** Serves one request whose body has been read. */
  async serve(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://local");
    const method = req.method ?? "GET";
    const route = routeOf(method, url.pathname);
    if (!route) return sendText(res, 404, ALB_NOT_FOUND_BODY);
    if (!route.authorized) return sendText(res, 200, HEALTH_BODY);
    const outcome = await this.ingest.invoke(this.event(req, url, body));
    const badGateway = () => sendText(res, 502, BAD_GATEWAY, "text/html");
    if (outcome.functionError) return badGateway();
    writeIntegrationResult(res, outcome.payload, badGateway);
  }

  /** The target event with multi-value headers off: lower-case names, the last value of a repeated header or query parameter. */
  private event(req: IncomingMessage, url: URL, body: Buffer): ALBEvent {
    const headers: Record<string, string> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i]!.toLowerCase()] = req.rawHeaders[i + 1]!;
    // ALB passes query parameters as sent, still percent-encoded.
    const query: Record<string, string> = {};
    for (const pair of url.search.slice(1).split("&").filter(Boolean)) {
      const at = pair.indexOf("=");
      query[at < 0 ? pair : pair.slice(0, at)] = at < 0 ? "" : pair.slice(at + 1);
    }
    const { body: text, isBase64Encoded } = eventBody(body, headers["content-type"], ALB_TEXT_TYPES);
    return {
      requestContext: { elb: { targetGroupArn: TARGET_GROUP_ARN } },
      httpMethod: req.method ?? "POST",
      path: url.pathname,
      queryStringParameters: query,
      headers,
      body: text ?? "",
      isBase64Encoded,
    };
  }
}
