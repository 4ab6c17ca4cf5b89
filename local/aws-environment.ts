/**
 * The local stack's AWS environment: the standard `AWS_ENDPOINT_URL_<SERVICE>` variables that point every SDK
 * client (the stack's own, and users' modules in their workers) at the emulators.
 */
import { LOCAL_REGION } from "./emulators";

/**
 * The variables that point SDK clients at the local endpoints (the standard `AWS_ENDPOINT_URL_<SERVICE>`
 * variables), with dummy credentials: nothing here may reach AWS.
 */
export function localAwsEnvironment(endpoints: {
  kinesis: string;
  sqs: string;
  s3: string;
  secretsManager: string;
  dynamodb: string;
  eventBridge: string;
  parameterStore: string;
  /** The Step Functions stand-in (`local/step-functions.ts`). @default unset */
  stepFunctions?: string;
}): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_KINESIS: endpoints.kinesis,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    // An IP-address endpoint makes the SDK use path-style S3 requests, which the emulator serves.
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SNS: endpoints.sqs,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventBridge,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SSM: endpoints.parameterStore,
    // SFN is the SDK's service id for Step Functions; StartSyncExecution also needs `disableHostPrefix` locally.
    ...(endpoints.stepFunctions === undefined ? {} : { AWS_ENDPOINT_URL_SFN: endpoints.stepFunctions }),
  };
}

/** Points every SDK client created later in this process at the local endpoints. */
export function useLocalEndpoints(environment: Readonly<Record<string, string>>): void {
  Object.assign(process.env, environment);
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}
