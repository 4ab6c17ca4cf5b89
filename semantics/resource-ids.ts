/**
 * The forms of the AWS identifiers a stack file names, as the services print them (docs/aws-semantics.md#resource-identifiers):
 * an ACM certificate ARN, a subnet and a VPC id (8 or 17 hex digits), a Cognito user pool ARN (the pool id is
 * `<region>_<id>`) and an app client id. The validator and the stack file's JSON Schema both check them.
 */

/** `arn:<partition>:acm:<region>:<account>:certificate/<id>`. */
export const ACM_CERTIFICATE_ARN = /^arn:aws[-a-z]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
/** `subnet-` and 8 or 17 hex digits. */
export const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
/** `vpc-` and 8 or 17 hex digits. */
export const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
/**
 * `arn:<partition>:cognito-idp:<region>:<account>:userpool/<region>_<id>`; the id's Region prefix must be the
 * ARN's. Groups: the ARN's region, the pool id's region, the id.
 */
export const USER_POOL_ARN = /^arn:aws[-a-z]*:cognito-idp:([a-z0-9-]+):\d{12}:userpool\/([a-z0-9-]+)_([0-9A-Za-z]+)$/;
/** An app client id: 1 to 128 word characters or `+` (CreateUserPoolClient's ClientId pattern `[\w+]+`). */
export const USER_POOL_CLIENT_ID = /^[\w+]{1,128}$/;
