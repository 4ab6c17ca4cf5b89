/** Pulumi type tokens of the AWS resources the policies inspect. */
export const TYPES = {
  stream: "aws:kinesis/stream:Stream",
  eventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
  function: "aws:lambda/function:Function",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  policy: "aws:iam/policy:Policy",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
} as const;
