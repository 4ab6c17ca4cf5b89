/**
 * The `appsync` front's wire contract, one home for the deployed API (components/fronts/appsync-api.ts), the
 * ingest handler (appsync-ingest.ts) and the local front (local/fronts/appsync.ts): the GraphQL schema, the
 * path, and the resolvers' mapping templates. `putRecords` takes the records of `POST /records` and answers its
 * body, `{failedRecordCount, records}`; a request the contract refuses becomes a GraphQL error whose
 * `errorType` is the contract's code (`INVALID_REQUEST`, …) and whose `errorInfo` holds its `details`.
 */

/** AppSync's GraphQL endpoint path: `https://<id>.appsync-api.<region>.amazonaws.com/graphql`. */
export const GRAPHQL_PATH = "/graphql";

/** The mutation field the ingest function resolves. */
export const PUT_RECORDS_FIELD = "putRecords";

/** What `Query.health` answers: AppSync's own NONE data source, as the REST API's MOCK `/health` (no Lambda call). */
export const HEALTH_VALUE = "ok";

/**
 * The schema. `data` is `AWSJSON`: a JSON text that AppSync parses and hands the resolver as a value, stored as
 * its compact JSON text (`dataBase64` keeps exact bytes). GraphQL requires a query root type, and AppSync refuses a
 * schema without one, so `Query.health` answers "ok" without calling any function: a liveness probe, as
 * `GET /health` is on the other fronts.
 */
export const INGEST_SCHEMA = `schema {
  query: Query
  mutation: Mutation
}

type Query {
  health: String!
}

type Mutation {
  putRecords(records: [RecordInput!]!): PutRecordsResult!
}

input RecordInput {
  data: AWSJSON
  dataBase64: String
  partitionKey: String
}

type PutRecordsResult {
  failedRecordCount: Int!
  records: [RecordResult!]!
}

type RecordResult {
  sequenceNumber: String
  shardId: String
  errorCode: String
  errorMessage: String
}
`;

/**
 * The `putRecords` resolver's response mapping template (VTL): the request goes to the function as AppSync's
 * direct Lambda resolver event (no request template), and the function answers a refused request as
 * `{"error":{"code","message","details"}}` rather than throwing — a thrown error would count as a function error
 * (the errors alarm) and reach the client as `Lambda:Unhandled`. A failed invocation keeps AppSync's own error.
 */
export const PUT_RECORDS_RESPONSE_TEMPLATE = `#if($ctx.error)
  $util.error($ctx.error.message, $ctx.error.type)
#end
#if($ctx.result.error)
  $util.error($ctx.result.error.message, $ctx.result.error.code, null, $ctx.result.error)
#end
$util.toJson($ctx.result)`;

/** `Query.health`'s templates on a NONE data source: the payload is handed back as the result. */
export const HEALTH_REQUEST_TEMPLATE = `{"version": "2018-05-29", "payload": "${HEALTH_VALUE}"}`;
export const HEALTH_RESPONSE_TEMPLATE = "$util.toJson($ctx.result)";
