// AWS's service models (compact copies of botocore's, see README.md), typed for
// the protocol codecs. Loaded once; the server never runs Python.
import iamModel from "./iam.json";
import s3Model from "./s3.json";
import stsModel from "./sts.json";

export interface MemberRef {
  shape: string;
  locationName?: string;
  location?: "header" | "headers" | "querystring" | "uri" | "statusCode";
  flattened?: boolean;
  xmlAttribute?: boolean;
  xmlNamespace?: { uri: string; prefix?: string };
  queryName?: string;
  streaming?: boolean;
}

export interface Shape {
  type: "structure" | "list" | "map" | "string" | "integer" | "long" | "boolean" | "timestamp" | "blob" | "double" | "float";
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  flattened?: boolean;
  locationName?: string;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  timestampFormat?: string;
  payload?: string;
  exception?: boolean;
  sensitive?: boolean;
  streaming?: boolean;
}

export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string; locationName?: string; xmlNamespace?: { uri: string } };
  output?: { shape: string; resultWrapper?: string };
  deprecated?: boolean;
}

export interface ServiceModel {
  metadata: { apiVersion: string; protocol: string; xmlNamespace?: string; endpointPrefix: string; serviceId: string };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

export const MODELS = {
  iam: iamModel as unknown as ServiceModel,
  sts: stsModel as unknown as ServiceModel,
  s3: s3Model as unknown as ServiceModel,
};

export type ApiService = keyof typeof MODELS;

export function operationModel(service: ApiService, name: string): OperationModel | undefined {
  const ops = MODELS[service].operations;
  return Object.hasOwn(ops, name) ? ops[name] : undefined;
}
