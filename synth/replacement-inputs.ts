/**
 * What makes the provider replace a resource instead of updating it: for every resource type the program
 * creates, its replacement-forcing inputs (`ForceNew`, or `RequiresReplace` in a framework resource, in the
 * Terraform AWS provider that `@pulumi/aws` 7 bridges), by their Pulumi input names. One row per type, each
 * a row of docs/day-2.md#replacement-forcing-inputs, which cites the same provider file; a type missing here is
 * reported by the change report instead of being guessed. Also, per type, the physical-name input (a
 * replacement that keeps it collides with the one it replaces) and what a data-bearing one holds.
 */

/** One resource type. */
export interface ReplacementRow {
  /** Inputs whose change replaces the resource (in the order of the provider's schema). */
  readonly inputs: readonly string[];
  /** The input holding its fixed physical name, when it has one. */
  readonly name?: string;
  /** What it holds that its deletion loses, for the types `components/lifecycle.ts` may mark data-bearing. */
  readonly holds?: string;
  /** The provider's source, under hashicorp/terraform-provider-aws `internal/service/` (or the component's package). */
  readonly source: string;
  /** A component a provider plans itself (awsx): its own resources are not seen under mocks. */
  readonly component?: true;
}

/** What names a REST API method and what hangs off it: the API, the resource (path) and the HTTP method. */
const apiGatewayMethodKey = ["restApi", "resourceId", "httpMethod"] as const;

export const REPLACEMENT_INPUTS: Readonly<Record<string, ReplacementRow>> = {
  // The stream, its consumers, and how functions read it.
  "aws:kinesis/stream:Stream": { inputs: ["name"], name: "name", holds: "records", source: "kinesis/stream.go" },
  "aws:kinesis/streamConsumer:StreamConsumer": { inputs: ["name", "streamArn"], name: "name", source: "kinesis/stream_consumer.go" },
  "aws:lambda/eventSourceMapping:EventSourceMapping": {
    inputs: [
      "amazonManagedKafkaEventSourceConfig",
      "eventSourceArn",
      "queues",
      "selfManagedEventSource",
      "selfManagedKafkaEventSourceConfig",
      "startingPosition",
      "startingPositionTimestamp",
      "topics",
    ],
    source: "lambda/event_source_mapping.go",
  },
  "aws:lambda/function:Function": {
    inputs: ["name", "packageType", "tenancyConfig", "durableConfig"],
    name: "name",
    source: "lambda/function.go",
  },
  "aws:lambda/alias:Alias": { inputs: ["name", "functionName"], name: "name", source: "lambda/alias.go" },
  // No Update in its schema (as the usage plan key and the target group attachment): every input forces one.
  "aws:lambda/permission:Permission": {
    inputs: [
      "action",
      "eventSourceToken",
      "function",
      "functionUrlAuthType",
      "invokedViaFunctionUrl",
      "principal",
      "principalOrgId",
      "qualifier",
      "sourceAccount",
      "sourceArn",
      "statementId",
      "statementIdPrefix",
    ],
    source: "lambda/permission.go",
  },
  // Data and fan-out targets.
  "aws:dynamodb/table:Table": {
    inputs: [
      "name",
      "hashKey",
      "rangeKey",
      "localSecondaryIndexes",
      "restoreDateTime",
      "restoreSourceName",
      "restoreSourceTableArn",
      "restoreToLatestTime",
    ],
    name: "name",
    holds: "items",
    source: "dynamodb/table.go",
  },
  "aws:sqs/queue:Queue": { inputs: ["name", "namePrefix", "fifoQueue"], name: "name", holds: "messages", source: "sqs/queue.go" },
  "aws:sns/topic:Topic": { inputs: ["name", "namePrefix", "fifoTopic"], name: "name", holds: "subscriptions", source: "sns/topic.go" },
  "aws:sns/topicSubscription:TopicSubscription": { inputs: ["endpoint", "protocol", "topic"], source: "sns/topic_subscription.go" },
  "aws:cloudwatch/eventBus:EventBus": { inputs: ["name", "eventSourceName"], name: "name", source: "events/bus.go" },
  // The archive bucket and its settings.
  "aws:s3/bucket:Bucket": {
    inputs: ["bucket", "bucketPrefix", "objectLockEnabled"],
    name: "bucket",
    holds: "objects",
    source: "s3/bucket.go",
  },
  "aws:s3/bucketPolicy:BucketPolicy": { inputs: ["bucket"], source: "s3/bucket_policy.go" },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { inputs: ["bucket"], source: "s3/bucket_public_access_block.go" },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { inputs: ["bucket"], source: "s3/bucket_ownership_controls.go" },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
    inputs: ["bucket", "expectedBucketOwner"],
    source: "s3/bucket_server_side_encryption_configuration.go",
  },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
    inputs: ["bucket", "expectedBucketOwner"],
    source: "s3/bucket_lifecycle_configuration.go",
  },
  // Identity, secrets, keys.
  "aws:iam/role:Role": { inputs: ["name", "namePrefix", "path"], source: "iam/role.go" },
  "aws:iam/rolePolicy:RolePolicy": { inputs: ["name", "namePrefix", "role"], source: "iam/role_policy.go" },
  "aws:secretsmanager/secret:Secret": { inputs: ["name", "namePrefix"], source: "secretsmanager/secret.go" },
  "aws:secretsmanager/secretVersion:SecretVersion": {
    inputs: ["secretId", "secretBinary", "secretString", "secretStringWoVersion"],
    source: "secretsmanager/secret_version.go",
  },
  "aws:kms/key:Key": {
    inputs: ["customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"],
    source: "kms/key.go",
  },
  // Observability.
  "aws:cloudwatch/logGroup:LogGroup": { inputs: ["name", "namePrefix", "logGroupClass"], name: "name", source: "logs/group.go" },
  "aws:cloudwatch/metricAlarm:MetricAlarm": { inputs: ["name"], source: "cloudwatch/metric_alarm.go" },
  // The stream scaler's schedule (auto-named): a replacement re-creates the rule and its target, a minute's gap at most.
  // Step Functions, Parameter Store and Cognito (the stepfunctions kind, consumers' parameters, api.auth cognito).
  "aws:sfn/stateMachine:StateMachine": { inputs: ["name", "namePrefix", "type"], name: "name", source: "sfn/state_machine.go" },
  "aws:ssm/parameter:Parameter": { inputs: ["dataType", "name"], name: "name", source: "ssm/parameter.go" },
  "aws:cognito/userPool:UserPool": {
    inputs: ["aliasAttributes", "name", "usernameAttributes"],
    holds: "users",
    source: "cognitoidp/user_pool.go",
  },
  "aws:cognito/userPoolClient:UserPoolClient": { inputs: ["userPoolId"], source: "cognitoidp/user_pool_client.go" },
  "aws:cloudwatch/eventRule:EventRule": { inputs: ["eventBusName", "name", "namePrefix"], source: "events/rule.go" },
  "aws:cloudwatch/eventTarget:EventTarget": { inputs: ["eventBusName", "rule", "targetId"], source: "events/target.go" },
  "aws:cloudwatch/dashboard:Dashboard": { inputs: ["dashboardName"], name: "dashboardName", source: "cloudwatch/dashboard.go" },
  // Its update is a no-op in the provider: components/contributor-insights.ts replaces it on a definition change.
  "aws:cloudwatch/contributorInsightRule:ContributorInsightRule": {
    inputs: [],
    name: "ruleName",
    source: "cloudwatch/contributor_insight_rule.go",
  },
  // observability.canary: its name is fixed (the stack's), so a replacement is delete-first (components/canary.ts).
  "aws:synthetics/canary:Canary": { inputs: ["name"], name: "name", source: "synthetics/canary.go" },
  // The REST API front.
  "aws:apigateway/account:Account": { inputs: [], source: "apigateway/account.go" },
  "aws:apigateway/apiKey:ApiKey": { inputs: ["name", "value"], source: "apigateway/api_key.go" },
  "aws:apigateway/authorizer:Authorizer": { inputs: ["restApi"], source: "apigateway/authorizer.go" },
  "aws:apigateway/deployment:Deployment": { inputs: ["restApi", "triggers", "variables"], source: "apigateway/deployment.go" },
  "aws:apigateway/integration:Integration": {
    inputs: [...apiGatewayMethodKey, "type", "credentials", "integrationHttpMethod", "passthroughBehavior"],
    source: "apigateway/integration.go",
  },
  "aws:apigateway/integrationResponse:IntegrationResponse": { inputs: apiGatewayMethodKey, source: "apigateway/integration_response.go" },
  "aws:apigateway/method:Method": { inputs: apiGatewayMethodKey, source: "apigateway/method.go" },
  "aws:apigateway/methodResponse:MethodResponse": { inputs: apiGatewayMethodKey, source: "apigateway/method_response.go" },
  "aws:apigateway/methodSettings:MethodSettings": {
    inputs: ["restApi", "stageName", "methodPath"],
    source: "apigateway/method_settings.go",
  },
  "aws:apigateway/resource:Resource": { inputs: ["restApi"], source: "apigateway/resource.go" },
  "aws:apigateway/response:Response": { inputs: ["restApiId", "responseType"], source: "apigateway/gateway_response.go" },
  "aws:apigateway/restApi:RestApi": { inputs: [], source: "apigateway/rest_api.go" },
  "aws:apigateway/stage:Stage": { inputs: ["restApi", "stageName"], source: "apigateway/stage.go" },
  "aws:apigateway/usagePlan:UsagePlan": { inputs: [], source: "apigateway/usage_plan.go" },
  "aws:apigateway/usagePlanKey:UsagePlanKey": { inputs: ["keyId", "keyType", "usagePlanId"], source: "apigateway/usage_plan_key.go" },
  // The HTTP API and WebSocket fronts.
  "aws:apigatewayv2/api:Api": { inputs: ["credentialsArn", "protocolType", "routeKey", "target"], source: "apigatewayv2/api.go" },
  "aws:apigatewayv2/authorizer:Authorizer": { inputs: ["apiId"], source: "apigatewayv2/authorizer.go" },
  "aws:apigatewayv2/integration:Integration": {
    inputs: ["apiId", "integrationSubtype", "integrationType"],
    source: "apigatewayv2/integration.go",
  },
  "aws:apigatewayv2/route:Route": { inputs: ["apiId"], source: "apigatewayv2/route.go" },
  "aws:apigatewayv2/stage:Stage": { inputs: ["apiId", "name"], source: "apigatewayv2/stage.go" },
  // The AppSync front. A data source's and an API key's update reads the API from their id: no input forces a
  // new one (the provider's schema has no ForceNew there), so a data source keeps the name it was created with.
  "aws:appsync/graphQLApi:GraphQLApi": { inputs: ["apiType", "visibility"], source: "appsync/graphql_api.go" },
  "aws:appsync/dataSource:DataSource": { inputs: [], source: "appsync/datasource.go" },
  "aws:appsync/resolver:Resolver": { inputs: ["apiId", "type", "field"], source: "appsync/resolver.go" },
  "aws:appsync/apiKey:ApiKey": { inputs: [], source: "appsync/api_key.go" },
  // The ALB front.
  "aws:ec2/securityGroup:SecurityGroup": { inputs: ["description", "name", "namePrefix", "vpcId"], source: "ec2/vpc_security_group.go" },
  "aws:lb/listener:Listener": { inputs: ["loadBalancerArn"], source: "elbv2/listener.go" },
  "aws:lb/listenerRule:ListenerRule": { inputs: ["listenerArn"], source: "elbv2/listener_rule.go" },
  "aws:lb/targetGroupAttachment:TargetGroupAttachment": {
    inputs: ["availabilityZone", "port", "targetGroupArn", "targetId"],
    source: "elbv2/target_group_attachment.go",
  },
  "awsx:lb:ApplicationLoadBalancer": { inputs: [], source: "@pulumi/awsx lb.ApplicationLoadBalancer", component: true },
};

/** The row of `type`, or undefined for a type no row covers yet (the report says so). */
export function replacementRow(type: string): ReplacementRow | undefined {
  return Object.hasOwn(REPLACEMENT_INPUTS, type) ? REPLACEMENT_INPUTS[type] : undefined;
}
